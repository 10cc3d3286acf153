/** A happy-dom window for the draw-function tests: a DOM without a browser. */
import { Window } from 'happy-dom';

export function installDom(): Window {
  const window = new Window({ url: 'http://127.0.0.1/', width: 1280, height: 720 });
  const globals = globalThis as unknown as Record<string, unknown>;
  globals.window = window;
  globals.document = window.document;
  globals.Element = window.Element;
  globals.HTMLElement = window.HTMLElement;
  globals.SVGElement = window.SVGElement;
  globals.Node = window.Node;
  return window;
}

export function container(): HTMLElement {
  const div = document.createElement('div');
  document.body.replaceChildren(div);
  return div;
}

export function attr(element: Element | null | undefined, name: string): string | null {
  return element?.getAttribute(name) ?? null;
}
