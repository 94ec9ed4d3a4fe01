// The console's entry: mounts the app into the page the Worker serves at / (src/console).
import { render } from "preact";
import { App } from "./app.tsx";
import "./console.css";

const root = document.getElementById("app");
if (root) render(<App />, root);
