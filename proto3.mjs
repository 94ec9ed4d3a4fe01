import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const spec = require("@octokit/openapi/generated/api.github.com.json");
const S=spec.components.schemas;
const show=(n)=>{const s=S[n]; console.log("\n##",n, JSON.stringify(Object.fromEntries((s.required||[]).map(k=>[k, (()=>{const p=s.properties[k]; if(!p) return "?"; return p.$ref? p.$ref.split("/").pop() : (p.type||"")+(p.nullable?"|null":"")+(p.enum?":"+p.enum.join("/"):"")+(p.allOf?"allOf:"+p.allOf.map(a=>a.$ref?.split("/").pop()).join(","):"") + (p.items? "["+(p.items.$ref?.split("/").pop()||p.items.type)+"]":"") })()]))));}
for (const n of process.argv.slice(2)) show(n);
