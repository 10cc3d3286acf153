/** Shortcuts for a teacher at the projector (the full list is in docs/viz.md): space plays/pauses, `.` steps, `p` presents, `c` hides the controls. */
export interface ShortcutActions {
  readonly togglePlay: () => void;
  readonly step: () => void;
  readonly faster?: () => void;
  readonly slower?: () => void;
  /** Hide or show the control panel, so the charts get the whole column on a projector. */
  readonly toggleControls?: () => void;
  /** Esc: close the details panel. */
  readonly closeDetails?: () => void;
  /** p: presenter mode; h: high contrast; f: the class follows the zoom. */
  readonly togglePresenter?: () => void;
  readonly toggleContrast?: () => void;
  readonly toggleFollow?: () => void;
  /** 0: the whole picture; 1-9: the n-th AZ; v: the customer VPC; z: the selected path. */
  readonly zoom?: (key: string) => void;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function installShortcuts(root: Document, actions: ShortcutActions): void {
  root.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
    if (event.key === ' ') {
      event.preventDefault();
      actions.togglePlay();
    } else if (event.key === '.') {
      event.preventDefault();
      actions.step();
    } else if (event.key === '+' || event.key === ']') {
      actions.faster?.();
    } else if (event.key === '-' || event.key === '[') {
      actions.slower?.();
    } else if (event.key === 'c') {
      actions.toggleControls?.();
    } else if (event.key === 'Escape') {
      actions.closeDetails?.();
    } else if (event.key === 'p') {
      actions.togglePresenter?.();
    } else if (event.key === 'h') {
      actions.toggleContrast?.();
    } else if (event.key === 'f') {
      actions.toggleFollow?.();
    } else if (/^[0-9vz]$/.test(event.key)) {
      actions.zoom?.(event.key);
    }
  });
}
