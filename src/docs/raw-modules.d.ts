// Files imported as text with `?raw` (Vite in the tests, infra/bundle.ts's rawText plugin in the bundle).
declare module "*?raw" {
  const text: string;
  export default text;
}
