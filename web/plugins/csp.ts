import type { Plugin } from "vite";

/**
 * The app's Content-Security-Policy. Scripts come only from the app's own
 * origin; `'wasm-unsafe-eval'` allows compiling the WASM matcher and nothing
 * else (no `eval`, no `new Function`, no inline scripts or styles).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** The header form adds `frame-ancestors`, which browsers ignore in a meta tag. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * Adds the policy as a `<meta http-equiv>` tag to every built page. The dev
 * server is left without it because Vite's client injects inline styles and
 * scripts for hot reloading.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: "switchyard:content-security-policy",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler: () => [
        {
          tag: "meta",
          attrs: {
            "http-equiv": "Content-Security-Policy",
            content: CONTENT_SECURITY_POLICY,
          },
          injectTo: "head-prepend",
        },
      ],
    },
  };
}
