// A stand-in for the GitHub CLI on PATH in setup.test.ts: answers the calls `npm run setup` makes from a JSON fixture
// (FAKE_GH_FIXTURE) shaped like { repoSecrets, environments, envSecrets, failWith }.
import { readFileSync } from "node:fs";

const fixture = JSON.parse(readFileSync(process.env.FAKE_GH_FIXTURE, "utf8"));
const args = process.argv.slice(2);
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const names = (list) => (list ?? []).map((name) => ({ name, updatedAt: "2026-01-01T00:00:00Z" }));

if (args[0] === "--version") {
  process.stdout.write("gh version 2.80.0 (fake)\n");
} else if (fixture.failWith) {
  process.stderr.write(`${fixture.failWith}\n`);
  process.exit(4);
} else if (args[0] === "api" && args[1] === "repos/{owner}/{repo}/environments") {
  print({ total_count: fixture.environments.length, environments: fixture.environments });
} else if (args[0] === "secret" && args[1] === "list") {
  const env = args.indexOf("--env");
  print(names(env === -1 ? fixture.repoSecrets : fixture.envSecrets?.[args[env + 1]]));
} else {
  process.stderr.write(`fake gh: unexpected call: gh ${args.join(" ")}\n`);
  process.exit(2);
}
