import { drawAddressBar, drawNodeEdges } from './address-bar-view.js';
import { CommandRow } from './command-row.js';
import { CompareView } from './compare-view.js';
import { el, replace } from './dom.js';
import { errorText } from './execute-command.js';
import { HashSync } from './hash-sync.js';
import { memoryLegend } from './memory-legend.js';
import { OptionControls } from './option-controls.js';
import { listenForDroppedFiles, listenForStepKeys } from './page-events.js';
import { Player } from './player.js';
import { drawSeedView } from './seed-view.js';
import { highlightSegment, type SegmentLinks } from './segment-button.js';
import { drawSegmentDetails, findSegment } from './segment-details.js';
import { Session } from './session.js';
import { drawStatsText } from './stats-text-view.js';
import { drawStepList, drawStepPanel } from './step-panel.js';
import { TimelineNav } from './timeline-nav.js';
import { ValidationLine } from './validation-line.js';

/**
 * Mounts the visualiser into a container and keeps it in step with the URL hash. The page's
 * state is the {@link Session} (program, options, step, error) plus the selected segment and
 * whether it is playing; every action changes that state, then {@link update} redraws every part
 * from it.
 * @param root the container (emptied).
 * @param location where the hash is read from and written to (the window's, by default).
 */
export function mountApp(root: HTMLElement, location: Location = window.location): void {
  const session = new Session();
  /** The start of the selected segment, `null` when none. */
  let selected: number | null = null;
  const player = new Player(session, () => update());
  const hash = new HashSync(location);

  // ---------- actions: each changes the state, then redraws ----------
  const goTo = (step: number) => {
    player.stop();
    session.goTo(step);
    update();
  };
  const move = (delta: number) => goTo(session.step + delta);
  const select = (start: number) => {
    selected = start;
    update();
  };
  /** The start of the selected block (a PROCESS segment at this step), `null` when none. */
  const selectedBlock = (): number | null => {
    if (selected === null) return null;
    const found = findSegment(session.current().snapshot, selected);
    return found?.segment.kind === 'PROCESS' ? found.segment.start : null;
  };

  async function loadFile(file: File): Promise<void> {
    player.stop();
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      session.error = `${file.name}: ${errorText(error)}`;
      update();
      return;
    }
    if (await session.loadTrace(file.name, bytes)) selected = null;
    update();
  }

  function restoreFromHash(): void {
    player.stop();
    const { state, problems } = hash.read();
    session.restore(state);
    if (problems.length > 0) session.error = [...problems, session.error].filter((p) => p !== '').join('; ');
    selected = null;
  }

  // ---------- parts of the page ----------
  const controls = new OptionControls(
    session,
    {
      chooseScenario: (id) => {
        player.stop();
        selected = null;
        session.chooseScenario(id);
        update();
      },
      setOptions: (change) => {
        session.setOptions(change);
        update();
      },
      loadFile: (file) => void loadFile(file),
    },
    location,
  );
  const commands = new CommandRow({
    run: (line) => {
      player.stop();
      const added = session.run(line);
      if (added) {
        const last = session.timeline.steps[session.step]!;
        if (last.address !== null) selected = last.address;
      }
      update();
      return added;
    },
    selectedBlock,
  });
  const nav = new TimelineNav({
    move,
    goTo,
    togglePlay: () => {
      player.toggle();
      update();
    },
  });
  const errorLine = el('p', {
    class: 'error',
    'data-testid': 'error',
    role: 'alert',
    'aria-live': 'assertive',
  });
  const stepPanel = el('div', { class: 'step-panel', 'data-testid': 'step-panel' });
  const validation = new ValidationLine(session);
  const statsText = el('pre', {
    class: 'stats',
    'data-testid': 'stats-text',
    tabindex: 0,
    'aria-label': 'mems_print_stats output',
  });
  const stepList = el('ol', { class: 'step-list', 'data-testid': 'step-list' });
  const seedView = el('div', { class: 'seed-view', 'data-testid': 'seed-view' });
  const addressBar = el('div', { class: 'address-bar-wrap', 'data-testid': 'address-bar' });
  const details = el('div', { class: 'details', 'data-testid': 'details', 'aria-live': 'polite' });
  const compare = new CompareView(session, () => update());

  replace(
    root,
    el(
      'header',
      { class: 'top' },
      el('h1', { text: 'MeMS visualizer' }),
      el('p', {
        class: 'tagline',
        text: 'The real @mems/core and @mems/stats, running in this page on the mock page provider: every step, both views, validate() after each.',
      }),
    ),
    controls.element,
    controls.description,
    commands.element,
    commands.help,
    errorLine,
    nav.element,
    el(
      'main',
      { class: 'grid' },
      el('section', { class: 'area-step', 'aria-label': 'step' }, stepPanel, validation.element),
      el(
        'section',
        { class: 'area-memory', 'aria-label': 'memory' },
        el('h2', { text: 'Main chain and sub-chains' }),
        memoryLegend(),
        seedView,
        el('h2', { text: 'Virtual address space, in address order' }),
        addressBar,
        el('h2', { text: 'Selected segment' }),
        details,
      ),
      el(
        'section',
        { class: 'area-stats', 'aria-label': 'mems_print_stats' },
        el('h2', { text: 'mems_print_stats' }),
        statsText,
      ),
      el('section', { class: 'area-steps', 'aria-label': 'steps' }, el('h2', { text: 'Steps' }), stepList),
    ),
    compare.element,
  );

  // The address bar's node-boundary ticks are thinned for its width: marked again when it changes.
  let barWidth = 0;
  new ResizeObserver(() => {
    if (addressBar.clientWidth === barWidth) return;
    barWidth = addressBar.clientWidth;
    requestAnimationFrame(() => drawNodeEdges(addressBar, session.current().snapshot));
  }).observe(addressBar);

  // ---------- keyboard, drag and drop, hash ----------
  listenForStepKeys(document, move);
  listenForDroppedFiles(document, (file) => void loadFile(file));
  window.addEventListener('hashchange', () => {
    if (hash.isOwn) return;
    restoreFromHash();
    update();
  });

  // ---------- drawing ----------
  /** Redraws every part of the page from the state, and writes the state into the URL hash. */
  function update(): void {
    const state = session.current();
    const step = session.timeline.steps[session.step]!;
    controls.sync();
    errorLine.textContent = session.error;
    nav.sync(session, player.playing);
    drawStepPanel(stepPanel, session);
    validation.draw();
    drawStatsText(statsText, state.statsText);
    drawStepList(stepList, session, goTo);
    const links: SegmentLinks = {
      selected,
      touched: step.address,
      select,
      highlight: (start, on) => highlightSegment(root, start, on),
    };
    drawSeedView(seedView, state.snapshot, links);
    drawAddressBar(addressBar, state.snapshot, links);
    drawSegmentDetails(details, state, session.timeline.steps, selected);
    commands.sync();
    compare.update();
    hash.write(session.pageState());
  }

  // ---------- start ----------
  if (hash.hasState) restoreFromHash();
  update();
}
