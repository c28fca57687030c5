import { describe, expect, test } from "vitest";
import { canonicalJson, DEFAULT_RULE_SET, parseRuleSet } from "../../src/engine/index.js";

describe("DEFAULT_RULE_SET", () => {
  test("passes parseRuleSet unchanged", () => {
    expect(parseRuleSet(DEFAULT_RULE_SET)).toEqual(DEFAULT_RULE_SET);
  });

  test("survives a JSON round trip", () => {
    expect(parseRuleSet(JSON.parse(canonicalJson(DEFAULT_RULE_SET)))).toEqual(
      DEFAULT_RULE_SET,
    );
  });

  test("is named genesis-default", () => {
    expect(DEFAULT_RULE_SET.name).toBe("genesis-default");
  });

  test("has fifteen agents in order", () => {
    expect(DEFAULT_RULE_SET.agents.map((a) => a.id)).toEqual([
      "spec_agent",
      "architect_agent",
      "builder_agent",
      "frontend_agent",
      "backend_agent",
      "qa_agent",
      "security_agent",
      "deploy_agent",
      "monitoring_agent",
      "marketing_agent",
      "sales_agent",
      "support_agent",
      "analytics_agent",
      "research_agent",
      "finance_agent",
    ]);
    for (const agent of DEFAULT_RULE_SET.agents) expect(agent.maxConcurrent).toBe(10);
  });

  test.each<[string, string[], string[], string, number]>([
    [
      "spec_agent",
      ["design", "requirements", "architecture", "planning"],
      ["specification", "planning", "requirements_analysis"],
      "cheap",
      0.85,
    ],
    [
      "builder_agent",
      ["implement", "code", "build", "develop", "generic", "api_call", "file_write"],
      ["coding", "debugging", "refactoring"],
      "medium",
      0.82,
    ],
    [
      "qa_agent",
      ["test", "validation", "qa", "quality_assurance", "test_run"],
      ["testing", "test_automation", "quality_assurance"],
      "cheap",
      0.87,
    ],
    [
      "security_agent",
      ["security", "vulnerability_scan", "penetration_test"],
      ["security", "vulnerability_analysis", "compliance"],
      "medium",
      0.9,
    ],
    [
      "sales_agent",
      ["sales", "outreach", "lead_generation"],
      ["sales", "outreach", "prospecting"],
      "cheap",
      0.75,
    ],
    [
      "finance_agent",
      ["finance", "accounting", "budgeting"],
      ["finance", "accounting", "budgeting", "pricing"],
      "medium",
      0.88,
    ],
  ])("agent %s matches the table", (id, taskTypes, skills, costTier, successRate) => {
    const agent = DEFAULT_RULE_SET.agents.find((a) => a.id === id);
    expect(agent).toEqual({
      id,
      taskTypes,
      skills,
      costTier,
      successRate,
      maxConcurrent: 10,
    });
  });

  test("has 22 rules in declared order", () => {
    const rows = DEFAULT_RULE_SET.rules.map((r) => [
      r.id,
      r.priority,
      r.when.taskType,
      r.agent,
    ]);
    expect(rows).toEqual([
      ["rule_design", 10, "design", "spec_agent"],
      ["rule_architecture", 10, "architecture", "architect_agent"],
      ["rule_requirements", 10, "requirements", "spec_agent"],
      ["rule_implement", 10, "implement", "builder_agent"],
      ["rule_frontend", 15, "frontend", "frontend_agent"],
      ["rule_backend", 15, "backend", "backend_agent"],
      ["rule_code", 10, "code", "builder_agent"],
      ["rule_test", 10, "test", "qa_agent"],
      ["rule_security", 10, "security", "security_agent"],
      ["rule_deploy", 10, "deploy", "deploy_agent"],
      ["rule_infrastructure", 10, "infrastructure", "deploy_agent"],
      ["rule_monitoring", 10, "monitor", "monitoring_agent"],
      ["rule_marketing", 10, "marketing", "marketing_agent"],
      ["rule_sales", 10, "sales", "sales_agent"],
      ["rule_support", 10, "support", "support_agent"],
      ["rule_analytics", 10, "analytics", "analytics_agent"],
      ["rule_research", 10, "research", "research_agent"],
      ["rule_finance", 10, "finance", "finance_agent"],
      ["rule_api_call", 15, "api_call", "builder_agent"],
      ["rule_file_write", 15, "file_write", "builder_agent"],
      ["rule_test_run", 15, "test_run", "qa_agent"],
      ["rule_generic", 5, "generic", "builder_agent"],
    ]);
  });

  test("every rule has a one-line explanation", () => {
    for (const rule of DEFAULT_RULE_SET.rules) {
      expect(rule.explanation.length).toBeGreaterThan(10);
      expect(rule.explanation).not.toContain("\n");
    }
  });

  test("planner section matches the defaults", () => {
    const planner = DEFAULT_RULE_SET.planner!;
    expect(planner.templates.map((t) => t.keywords)).toEqual([["business", "saas"]]);
    expect(planner.templates[0]!.tasks).toEqual([
      { id: "spec", type: "design", description: "Create business specification" },
      {
        id: "build",
        type: "implement",
        description: "Build core functionality",
        dependsOn: ["spec"],
      },
      {
        id: "deploy",
        type: "deploy",
        description: "Deploy to production",
        dependsOn: ["build"],
      },
    ]);
    expect(planner.refinements).toEqual({
      design: [
        { suffix: "requirements", type: "api_call", description: "Gather requirements" },
        {
          suffix: "architecture",
          type: "file_write",
          description: "Design architecture",
        },
      ],
      implement: [
        { suffix: "code", type: "file_write", description: "Write code" },
        { suffix: "test", type: "test_run", description: "Write tests" },
      ],
    });
    expect(planner.atomicTypes).toEqual(["api_call", "file_write", "test_run"]);
    expect(planner.limits).toEqual({
      maxDepth: 5,
      maxTasks: 1000,
      maxGoalLength: 5000,
      maxSubtasksPerUpdate: 20,
      maxUpdatesPerPlan: 10,
    });
  });
});
