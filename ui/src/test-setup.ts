// jsdom has no layout: give elements a window-sized box, so the virtualized table renders its
// first rows as it does in the app.
const BOX = { x: 0, y: 0, top: 0, left: 0, right: 1000, bottom: 600, width: 1000, height: 600 };
HTMLElement.prototype.getBoundingClientRect = () => ({ ...BOX, toJSON: () => BOX });
for (const [prop, value] of Object.entries({ clientHeight: 600, clientWidth: 1000, offsetHeight: 600, offsetWidth: 1000 })) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
}
