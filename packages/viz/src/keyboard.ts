/** Shortcuts for a teacher at the projector: space plays/pauses, `.` steps (issue 7 §5), `c` hides the controls. */
export interface ShortcutActions {
  readonly togglePlay: () => void;
  readonly step: () => void;
  readonly faster?: () => void;
  readonly slower?: () => void;
  /** Hide or show the control panel, so the charts get the whole column on a projector. */
  readonly toggleControls?: () => void;
  /** Esc: close the details panel. */
  readonly closeDetails?: () => void;
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
    }
  });
}
