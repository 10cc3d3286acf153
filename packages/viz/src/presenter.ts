/**
 * Presenter mode for a classroom projector: the picture takes the screen (charts and events in
 * a row beneath it, the rest hidden), a high-contrast palette for a washed-out projector, and
 * zoom to an AZ, the customer VPC or a path. Zooming only changes the SVG's viewBox, so the
 * layout and its guarantees (nothing overlaps, nothing overflows) hold at every zoom.
 * The presenter can lead the class: every other page of the session follows the zoom.
 */
import { VIEW_HEIGHT, VIEW_WIDTH } from './layout';

/** `all`, `customer-vpc`, `az:<id>`, `path:<client>`, as the stream's `focus` message carries them. */
export type ZoomTarget = string;

const PADDING = 24;

function cssEscape(id: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(id) : id.replace(/["\\]/g, '\\$&');
}

/** The drawn element a target names, or null when the picture does not hold it (now). */
function targetElement(svg: SVGSVGElement, target: ZoomTarget): SVGGraphicsElement | null {
  const [kind, ...rest] = target.split(':');
  const id = cssEscape(rest.join(':'));
  if (kind === 'az') return svg.querySelector(`[data-kind="az"][data-id="${id}"] rect.az-box`);
  if (kind === 'customer-vpc') return svg.querySelector('[data-kind="customer-vpc"] rect');
  if (kind === 'path') return svg.querySelector(`[data-kind="path"][data-id="${id}"]`);
  return null;
}

export interface PresenterOptions {
  /** Called when this page's zoom changes by the user's hand (not by following). */
  readonly onZoom?: (target: ZoomTarget) => void;
}

export class Presenter {
  private zoomTarget: ZoomTarget = 'all';

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly body: HTMLElement,
    private readonly options: PresenterOptions = {},
  ) {}

  get zoom(): ZoomTarget {
    return this.zoomTarget;
  }

  get presenting(): boolean {
    return this.body.classList.contains('presenter');
  }

  /** Presenter mode on or off; the high-contrast palette comes with it (and can be turned off apart). */
  togglePresenter(on = !this.presenting): void {
    this.body.classList.toggle('presenter', on);
    this.body.classList.toggle('high-contrast', on);
    const doc = this.body.ownerDocument;
    // Full screen needs a user gesture; without one (a script, a test) the mode still works in the window.
    if (on && !doc.fullscreenElement) void doc.documentElement.requestFullscreen?.().catch(() => undefined);
    if (!on && doc.fullscreenElement) void doc.exitFullscreen?.().catch(() => undefined);
  }

  toggleContrast(): void {
    this.body.classList.toggle('high-contrast');
  }

  /** Zooms to `target`; `byHand` says whether to tell the class. */
  setZoom(target: ZoomTarget | null, byHand = true): void {
    this.zoomTarget = target ?? 'all';
    this.apply();
    this.body.setAttribute('data-zoom', this.zoomTarget);
    if (byHand) this.options.onZoom?.(this.zoomTarget);
  }

  /** Re-fits the viewBox to the target (after a redraw moved it); the whole picture when it is gone. */
  apply(): void {
    const whole = `0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`;
    const element = this.zoomTarget === 'all' ? null : targetElement(this.svg, this.zoomTarget);
    const box = element && typeof element.getBBox === 'function' ? element.getBBox() : null;
    if (!box || box.width <= 0 || box.height <= 0) {
      this.svg.setAttribute('viewBox', whole);
      return;
    }
    const x = Math.max(0, box.x - PADDING);
    const y = Math.max(0, box.y - PADDING);
    const w = Math.min(VIEW_WIDTH - x, box.width + 2 * PADDING);
    const h = Math.min(VIEW_HEIGHT - y, box.height + 2 * PADDING);
    this.svg.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
  }
}

/** The zoom targets the picture offers now, for the menu: the whole picture, each AZ, the customer VPC, each path. */
export function zoomTargets(svg: SVGSVGElement): { value: ZoomTarget; label: string }[] {
  const targets = [{ value: 'all', label: 'whole picture' }];
  for (const az of svg.querySelectorAll('[data-kind="az"][data-id]')) {
    const id = az.getAttribute('data-id')!;
    targets.push({ value: `az:${id}`, label: `AZ ${id}` });
  }
  if (svg.querySelector('[data-kind="customer-vpc"]')) targets.push({ value: 'customer-vpc', label: 'customer VPC' });
  for (const path of svg.querySelectorAll('[data-kind="path"][data-id]')) {
    const id = path.getAttribute('data-id')!;
    const refused = path.getAttribute('data-state') === 'refused';
    targets.push({ value: `path:${id}`, label: `path from ${id}${refused ? ' (refused)' : ''}` });
  }
  return targets;
}
