// Entry point of the delivery CLI the workflows call through npm scripts (commands in infra/delivery/commands.ts).
import { alchemyDestroy, alchemyStateList } from "./delivery/alchemy-cli.ts";
import { runCli } from "./delivery/commands.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  fetch,
  out: (line) => console.log(line),
  log: (line) => console.error(line),
  stateList: (stage) => alchemyStateList(stage, process.env),
  destroy: (stage) => alchemyDestroy(stage, process.env),
});
