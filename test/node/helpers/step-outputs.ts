// Reads a GITHUB_OUTPUT file the way the Actions runner does: `key=value` lines, and the `key<<DELIMITER` blocks
// @actions/core writes (any value, several lines included).
export function parseStepOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`Step output ${key}: no closing ${delimiter}.`);
      outputs[key] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    } else if (line.trim()) {
      throw new Error(`Not a step output line: ${line}`);
    }
  }
  return outputs;
}
