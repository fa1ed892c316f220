/**
 * Steps with the keyboard anywhere on the page except in a field: ← and → one step, Home and End
 * to the ends (with no modifier key).
 * @param target where the keys are listened for (the document).
 * @param move called with -1, 1, -Infinity or Infinity.
 */
export function listenForStepKeys(target: Document, move: (delta: number) => void): void {
  target.addEventListener('keydown', (event) => {
    const tag = (event.target as HTMLElement | null)?.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') move(-1);
    else if (event.key === 'ArrowRight') move(1);
    else if (event.key === 'Home') move(-Infinity);
    else if (event.key === 'End') move(Infinity);
    else return;
    event.preventDefault();
  });
}

/**
 * Takes a file dropped anywhere on the page, marking the body with the `dragging` class while one
 * is dragged over it.
 * @param target where the drag events are listened for (the document).
 * @param load called with the first dropped file.
 */
export function listenForDroppedFiles(target: Document, load: (file: File) => void): void {
  target.addEventListener('dragover', (event) => {
    event.preventDefault();
    target.body.classList.add('dragging');
  });
  target.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) target.body.classList.remove('dragging');
  });
  target.addEventListener('drop', (event) => {
    event.preventDefault();
    target.body.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) load(file);
  });
}
