// Text that breaks naive handling of Unicode, shared by the tests that send it.

/** Strings that break naive handling of Unicode: lone surrogates, NUL, direction marks, huge clusters. */
export const UNICODE_EDGE_CASES: readonly { name: string; value: string }[] = [
  { name: "lone high surrogate", value: "a\ud800b" },
  { name: "lone low surrogate", value: "\udc00" },
  { name: "reversed surrogate pair", value: "\udc00\ud800" },
  { name: "NUL", value: "a\u0000b" },
  { name: "byte order mark", value: "\ufeffbom" },
  { name: "right-to-left override", value: "\u202egnp.exe" },
  { name: "family emoji (ZWJ sequence)", value: "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}" },
  { name: "500 combining marks", value: `e${"\u0301".repeat(500)}` },
  { name: "noncharacters", value: "\uffff\ufffe" },
  { name: "line and paragraph separators", value: "a\u2028b\u2029c" },
  { name: "astral math letters", value: "\u{1d54f}\u{1d550}" },
  { name: "whitespace only", value: " \t\n " },
];

/** An unpaired surrogate: text SQLite cannot store as sent (UTF-8 has no encoding for it). */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
