// Baseline 1: the cheapest possible Worker. Every request answers "ok" without touching anything.
export default {
  fetch() {
    return new Response("ok");
  },
};
