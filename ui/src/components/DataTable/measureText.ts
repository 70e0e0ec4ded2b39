// Text width in a font, for fitting a column to its content. A canvas measures without touching
// the page's layout; tests replace this module (jsdom has no canvas).
let context: CanvasRenderingContext2D | null | undefined;

export function textWidth(text: string, font: string): number {
  if (context === undefined) context = document.createElement("canvas").getContext("2d");
  // no canvas: about 7.5 px a character at the app's 13 px
  if (!context) return text.length * 7.5;
  context.font = font;
  return context.measureText(text).width;
}

/** A CSS font shorthand of an element's computed font, optionally in another weight. */
export function fontOf(element: Element, weight?: string): string {
  const style = getComputedStyle(element);
  return `${style.fontStyle} ${weight ?? style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
}
