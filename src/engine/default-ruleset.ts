/**
 * The built-in rule set `genesis-default`: fifteen agents, one rule per task
 * type, and the default planner (a business/SaaS template with phase order,
 * two refinements and three atomic types).
 */
import type { Agent, CostTier, PlannerConfig, Rule, RuleSet } from "./types.js";

function agent(
  id: string,
  taskTypes: string[],
  skills: string[],
  costTier: CostTier,
  successRate: number,
): Agent {
  return { id, taskTypes, skills, costTier, successRate, maxConcurrent: 10 };
}

const AGENTS: Agent[] = [
  agent(
    "spec_agent",
    ["design", "requirements", "architecture", "planning"],
    ["specification", "planning", "requirements_analysis"],
    "cheap",
    0.85,
  ),
  agent(
    "architect_agent",
    ["architecture", "system_design", "technical_spec"],
    ["system_design", "architecture", "scalability"],
    "medium",
    0.88,
  ),
  agent(
    "builder_agent",
    ["implement", "code", "build", "develop", "generic", "api_call", "file_write"],
    ["coding", "debugging", "refactoring"],
    "medium",
    0.82,
  ),
  agent(
    "frontend_agent",
    ["frontend", "ui", "design_implementation"],
    ["react", "vue", "css", "javascript"],
    "medium",
    0.8,
  ),
  agent(
    "backend_agent",
    ["backend", "api", "database"],
    ["python", "node", "sql", "api_design"],
    "medium",
    0.83,
  ),
  agent(
    "qa_agent",
    ["test", "validation", "qa", "quality_assurance", "test_run"],
    ["testing", "test_automation", "quality_assurance"],
    "cheap",
    0.87,
  ),
  agent(
    "security_agent",
    ["security", "vulnerability_scan", "penetration_test"],
    ["security", "vulnerability_analysis", "compliance"],
    "medium",
    0.9,
  ),
  agent(
    "deploy_agent",
    ["deploy", "infrastructure", "devops"],
    ["devops", "cloud", "kubernetes", "ci_cd"],
    "medium",
    0.84,
  ),
  agent(
    "monitoring_agent",
    ["monitor", "observability", "metrics"],
    ["monitoring", "alerting", "performance_analysis"],
    "cheap",
    0.86,
  ),
  agent(
    "marketing_agent",
    ["marketing", "promotion", "content"],
    ["marketing", "advertising", "content_creation"],
    "cheap",
    0.78,
  ),
  agent(
    "sales_agent",
    ["sales", "outreach", "lead_generation"],
    ["sales", "outreach", "prospecting"],
    "cheap",
    0.75,
  ),
  agent(
    "support_agent",
    ["support", "customer_service", "help"],
    ["customer_support", "troubleshooting", "documentation"],
    "cheap",
    0.82,
  ),
  agent(
    "analytics_agent",
    ["analytics", "reporting", "data_analysis"],
    ["data_analysis", "reporting", "visualization"],
    "medium",
    0.85,
  ),
  agent(
    "research_agent",
    ["research", "discovery", "investigation"],
    ["research", "analysis", "competitive_intelligence"],
    "medium",
    0.81,
  ),
  agent(
    "finance_agent",
    ["finance", "accounting", "budgeting"],
    ["finance", "accounting", "budgeting", "pricing"],
    "medium",
    0.88,
  ),
];

/** [task type, priority, agent, explanation], in declaration order. */
const RULE_ROWS: [string, number, string, string][] = [
  ["design", 10, "spec_agent", "Design work starts from a written specification."],
  [
    "architecture",
    10,
    "architect_agent",
    "System structure goes to the architecture specialist.",
  ],
  ["requirements", 10, "spec_agent", "Requirements gathering is specification work."],
  [
    "implement",
    10,
    "builder_agent",
    "Implementation goes to the general-purpose builder.",
  ],
  [
    "frontend",
    15,
    "frontend_agent",
    "User-interface work goes to the frontend specialist.",
  ],
  [
    "backend",
    15,
    "backend_agent",
    "Server, API and database work goes to the backend specialist.",
  ],
  ["code", 10, "builder_agent", "Writing code is the builder's core job."],
  ["test", 10, "qa_agent", "Testing goes to quality assurance."],
  ["security", 10, "security_agent", "Security reviews need the security specialist."],
  ["deploy", 10, "deploy_agent", "Releases go to the deployment agent."],
  [
    "infrastructure",
    10,
    "deploy_agent",
    "Infrastructure is handled alongside deployment.",
  ],
  [
    "monitor",
    10,
    "monitoring_agent",
    "Monitoring and alerting go to the monitoring agent.",
  ],
  ["marketing", 10, "marketing_agent", "Promotion and content go to marketing."],
  ["sales", 10, "sales_agent", "Outreach and leads go to sales."],
  ["support", 10, "support_agent", "Customer questions go to support."],
  ["analytics", 10, "analytics_agent", "Data analysis and reports go to analytics."],
  ["research", 10, "research_agent", "Investigation goes to the research agent."],
  ["finance", 10, "finance_agent", "Budgets and accounting go to finance."],
  ["api_call", 15, "builder_agent", "An atomic API call is a small build step."],
  ["file_write", 15, "builder_agent", "Writing a file is a small build step."],
  ["test_run", 15, "qa_agent", "Running tests is quality-assurance work."],
  [
    "generic",
    5,
    "builder_agent",
    "Unclassified work falls to the general-purpose builder.",
  ],
];

const RULES: Rule[] = RULE_ROWS.map(([type, priority, agentId, explanation]) => ({
  id: type === "monitor" ? "rule_monitoring" : `rule_${type}`,
  priority,
  when: { taskType: type },
  agent: agentId,
  explanation,
}));

const PLANNER: PlannerConfig = {
  templates: [
    {
      id: "business",
      keywords: ["business", "saas"],
      tasks: [
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
      ],
    },
  ],
  refinements: {
    design: [
      { suffix: "requirements", type: "api_call", description: "Gather requirements" },
      { suffix: "architecture", type: "file_write", description: "Design architecture" },
    ],
    implement: [
      { suffix: "code", type: "file_write", description: "Write code" },
      { suffix: "test", type: "test_run", description: "Write tests" },
    ],
  },
  atomicTypes: ["api_call", "file_write", "test_run"],
  limits: {
    maxDepth: 5,
    maxTasks: 1000,
    maxGoalLength: 5000,
    maxSubtasksPerUpdate: 20,
    maxUpdatesPerPlan: 10,
  },
};

/** The built-in rule set `genesis-default`. Callers must not mutate it. */
export const DEFAULT_RULE_SET: RuleSet = {
  format: "switchyard/ruleset",
  version: 1,
  name: "genesis-default",
  description:
    "Built-in agents, one routing rule per task type, and the default planner.",
  agents: AGENTS,
  rules: RULES,
  planner: PLANNER,
};
