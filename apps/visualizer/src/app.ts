import type { HeapSnapshot, NodeSnapshot, PolicyName, SegmentSnapshot } from '@mems/core';
import { computeMetrics } from '@mems/stats';
import { COMMAND_USAGE } from './command.js';
import {
  comparePolicies,
  type PolicyRun,
  type PortableProgram,
  portableSnapshotAt,
  toPortableProgram,
} from './compare.js';
import { type Child, el, replace, svg } from './dom.js';
import { errorText } from './execute-command.js';
import { chartFrame, layoutAddressBar, linePath } from './geometry.js';
import { describeIndexPosition } from './policy-index.js';
import { findScenario, SCENARIOS } from './scenarios.js';
import { Session, TRACE_SCENARIO_ID } from './session.js';
import type { Timeline } from './timeline.js';
import { decodeHash, encodeHash } from './url-state.js';
import { POLICY_CHOICES, type VisualOptions } from './visual-heap.js';

/** Colours of the policies in the comparison (Okabe–Ito, readable with every common colour-vision deficiency). */
export const POLICY_COLOURS: Readonly<Record<PolicyName, string>> = {
  'first-fit': '#0072B2',
  'next-fit': '#E69F00',
  'best-fit': '#009E73',
  tlsf: '#CC79A7',
};

/** How many segments the seed picture draws before it says how many more there are. */
const PICTURE_SEGMENT_LIMIT = 600;
/** How many steps the step list shows around the current one. */
const STEP_LIST_WINDOW = 40;
/** Milliseconds between steps while playing. */
const PLAY_INTERVAL_MS = 700;

const range = (s: { start: number; lastAddress: number }) => `[${s.start}:${s.lastAddress}]`;
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Mounts the visualiser into a container and keeps it in step with the URL hash.
 * @param root the container (emptied).
 * @param location where the hash is read from and written to (the window's, by default).
 */
export function mountApp(root: HTMLElement, location: Location = window.location): void {
  const session = new Session();
  let selected: number | null = null;
  let playing: ReturnType<typeof setInterval> | null = null;
  let compareCache: {
    timeline: Timeline;
    options: VisualOptions;
    program: PortableProgram;
    runs: PolicyRun[];
  } | null = null;
  let lastHash = '';
  /** The width the comparison chart was last laid out for (it is redrawn when its container's width changes). */
  let chartWidth = 0;

  // ---------- static structure ----------
  const scenarioSelect = el('select', {
    id: 'scenario',
    'data-testid': 'scenario',
    onchange: () => {
      if (scenarioSelect.value === TRACE_SCENARIO_ID) return;
      stop();
      selected = null;
      session.chooseScenario(scenarioSelect.value);
      update();
    },
  });
  const policySelect = el(
    'select',
    {
      id: 'policy',
      'data-testid': 'policy',
      onchange: () => {
        session.setPolicy(policySelect.value as PolicyName);
        update();
      },
    },
    ...POLICY_CHOICES.map((p) => el('option', { value: p, text: p })),
  );
  const numberInput = (id: string, key: keyof VisualOptions, min: number, title: string) => {
    const input = el('input', {
      id,
      'data-testid': id,
      type: 'number',
      min,
      step: 1,
      inputmode: 'numeric',
      title,
      onchange: () => {
        const value = input.value.trim() === '' ? Number.NaN : Number(input.value);
        session.setOptions({ [key]: value } as Partial<VisualOptions>);
        update();
      },
    });
    return input;
  };
  const pageInput = numberInput('page-size', 'pageSize', 1, 'heap page size in bytes');
  const startInput = numberInput('start-address', 'startAddress', 0, 'the first MeMS virtual address');
  const alignInput = numberInput('alignment', 'alignment', 1, 'block alignment in bytes (a power of two)');
  const minPagesInput = numberInput('min-node-pages', 'minNodePages', 1, 'the fewest pages a new node maps');
  const autoTrimInput = el('input', {
    id: 'auto-trim',
    'data-testid': 'auto-trim',
    type: 'checkbox',
    onchange: () => {
      session.setOptions({ autoTrim: autoTrimInput.checked });
      update();
    },
  });
  const traceInput = el('input', {
    id: 'trace-file',
    'data-testid': 'trace-file',
    type: 'file',
    accept: '.trace,.txt,.rep,text/plain',
    onchange: () => {
      const file = traceInput.files?.[0];
      if (file !== undefined) void loadFile(file);
      traceInput.value = '';
    },
  });
  const scenarioText = el('p', { class: 'scenario-text', 'data-testid': 'scenario-description' });
  const shareButton = el('button', {
    type: 'button',
    'data-testid': 'share',
    text: 'Copy link',
    onclick: () => {
      const url = location.href;
      const copying = navigator.clipboard?.writeText(url);
      if (copying === undefined) {
        shareButton.textContent = 'Copy the address bar';
        return;
      }
      copying.then(
        () => {
          shareButton.textContent = 'Link copied';
          setTimeout(() => (shareButton.textContent = 'Copy link'), 1500);
        },
        () => {
          shareButton.textContent = 'Copy the address bar';
        },
      );
    },
  });

  const commandInput = el('input', {
    id: 'command',
    'data-testid': 'command',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'malloc 1000',
    'aria-describedby': 'command-help',
    onkeydown: (event: KeyboardEvent) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        runCommand(commandInput.value);
      }
    },
  });
  const errorLine = el('p', {
    class: 'error',
    'data-testid': 'error',
    role: 'alert',
    'aria-live': 'assertive',
  });
  const blockButton = (id: string, text: string, action: (address: number) => void) =>
    el('button', {
      type: 'button',
      'data-testid': id,
      text,
      disabled: true,
      onclick: () => {
        if (selectedBlock() !== null) action(selectedBlock()!.start);
      },
    });
  const freeButton = blockButton('block-free', 'free', (a) => runCommand(`free ${a}`));
  const getButton = blockButton('block-get', 'get (mems_get)', (a) => runCommand(`get ${a}`));
  const reallocButton = blockButton('block-realloc', 'realloc…', (a) => prefill(`realloc ${a} `));
  const writeButton = blockButton('block-write', 'write…', (a) => prefill(`write ${a} `));

  const prevButton = el('button', {
    type: 'button',
    'data-testid': 'prev',
    'aria-label': 'previous step',
    text: '◀ prev',
    onclick: () => move(-1),
  });
  const nextButton = el('button', {
    type: 'button',
    'data-testid': 'next',
    'aria-label': 'next step',
    text: 'next ▶',
    onclick: () => move(1),
  });
  const playButton = el('button', {
    type: 'button',
    'data-testid': 'play',
    text: 'play',
    onclick: () => togglePlay(),
  });
  const slider = el('input', {
    type: 'range',
    min: 0,
    'data-testid': 'slider',
    'aria-label': 'step',
    oninput: () => {
      stop();
      session.goTo(Number(slider.value));
      update();
    },
  });
  const stepText = el('span', { class: 'step-count', 'data-testid': 'step', 'aria-live': 'polite' });

  const stepPanel = el('div', { class: 'step-panel', 'data-testid': 'step-panel' });
  const validateLine = el('p', { class: 'validate', 'data-testid': 'validate' });
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
  const compareBody = el('div', { class: 'compare-body' });
  const compareDetails = el(
    'details',
    {
      class: 'compare',
      'data-testid': 'compare',
      ontoggle: () => {
        if (session.compare !== compareDetails.open) {
          session.compare = compareDetails.open;
          update();
        }
      },
    },
    el('summary', { text: 'Compare policies: first fit, next fit, best fit and TLSF on the same program' }),
    compareBody,
  );

  // Redrawn in the next frame, not inside the observer (a redraw resizes what it observes).
  let resizing: number | null = null;
  new ResizeObserver(() => {
    if (resizing !== null) return;
    resizing = requestAnimationFrame(() => {
      resizing = null;
      if (
        session.compare &&
        compareBody.clientWidth > 0 &&
        chartFrame(compareBody.clientWidth).width !== chartWidth
      )
        drawCompare();
    });
  }).observe(compareBody);

  const legendItem = (swatch: string, label: string) =>
    el('span', { class: 'legend-item' }, el('span', { class: `swatch ${swatch}` }), ` ${label}`);
  const legend = el(
    'div',
    { class: 'legend', 'data-testid': 'legend', 'aria-label': 'legend' },
    legendItem('main', 'MAIN node (one mapping)'),
    legendItem('process', 'P: PROCESS (allocated)'),
    legendItem('hole', 'H: HOLE (free)'),
    legendItem('gap', 'not mapped'),
    legendItem('touched', 'touched by this step'),
    legendItem('selected', 'selected'),
  );

  const field = (label: string, input: HTMLElement, forId: string) =>
    el('label', { class: 'field', for: forId }, el('span', { text: label }), input);

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
    el(
      'section',
      { class: 'controls', 'aria-label': 'scenario and options' },
      field('Scenario', scenarioSelect, 'scenario'),
      field('Policy', policySelect, 'policy'),
      field('Page size', pageInput, 'page-size'),
      field('Start address', startInput, 'start-address'),
      field('Alignment', alignInput, 'alignment'),
      field('Min node pages', minPagesInput, 'min-node-pages'),
      el(
        'label',
        { class: 'field check', for: 'auto-trim' },
        autoTrimInput,
        el('span', { text: 'auto-trim' }),
      ),
      field('Trace file (.trace or CS:APP .rep), or drop one on the page', traceInput, 'trace-file'),
      shareButton,
    ),
    scenarioText,
    el(
      'section',
      { class: 'command-row', 'aria-label': 'commands' },
      el('label', { for: 'command', class: 'command-label', text: 'Command' }),
      commandInput,
      el('button', {
        type: 'button',
        text: 'Run',
        'data-testid': 'run',
        onclick: () => runCommand(commandInput.value),
      }),
      el(
        'span',
        { class: 'block-buttons', 'aria-label': 'selected block' },
        freeButton,
        getButton,
        reallocButton,
        writeButton,
      ),
    ),
    el(
      'p',
      { id: 'command-help', class: 'help' },
      `One command per Enter: ${Object.values(COMMAND_USAGE).slice(0, 7).join(', ')}; trace operations a <id> <size>, f <id>, r <id> <size>. Numbers in decimal or 0x hex. Keys: ← → step, Home / End.`,
    ),
    errorLine,
    el(
      'nav',
      { class: 'timeline', 'aria-label': 'timeline' },
      prevButton,
      playButton,
      nextButton,
      slider,
      el('span', { class: 'step-label' }, 'step ', stepText),
    ),
    el(
      'main',
      { class: 'grid' },
      el('section', { class: 'area-step', 'aria-label': 'step' }, stepPanel, validateLine),
      el(
        'section',
        { class: 'area-memory', 'aria-label': 'memory' },
        el('h2', { text: 'Main chain and sub-chains' }),
        legend,
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
    compareDetails,
  );

  for (const s of SCENARIOS) scenarioSelect.append(el('option', { value: s.id, text: s.label }));
  const traceOption = el('option', { value: TRACE_SCENARIO_ID, text: 'Trace file' });

  // ---------- actions ----------
  function runCommand(line: string): void {
    stop();
    if (session.run(line)) {
      commandInput.value = '';
      const last = session.timeline.steps[session.step]!;
      if (last.address !== null) selected = last.address;
    }
    update();
    commandInput.focus();
  }

  function prefill(text: string): void {
    commandInput.value = text;
    commandInput.focus();
    commandInput.setSelectionRange(text.length, text.length);
  }

  function move(delta: number): void {
    stop();
    session.goTo(session.step + delta);
    update();
  }

  function stop(): void {
    if (playing !== null) {
      clearInterval(playing);
      playing = null;
    }
  }

  function togglePlay(): void {
    if (playing !== null) {
      stop();
      update();
      return;
    }
    if (session.step >= session.lastStep) session.goTo(0);
    playing = setInterval(() => {
      session.goTo(session.step + 1);
      if (session.step >= session.lastStep) stop();
      update();
    }, PLAY_INTERVAL_MS);
    update();
  }

  async function loadFile(file: File): Promise<void> {
    stop();
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      session.error = `${file.name}: ${errorText(error)}`;
      update();
      return;
    }
    if (session.loadTrace(file.name, text)) selected = null;
    update();
  }

  function selectedBlock(): SegmentSnapshot | null {
    if (selected === null) return null;
    const found = findSegment(session.current().snapshot, selected);
    return found?.segment.kind === 'PROCESS' ? found.segment : null;
  }

  function select(start: number): void {
    selected = start;
    update();
  }

  // ---------- keyboard, drag and drop, hash ----------
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    const tag = target?.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') move(-1);
    else if (event.key === 'ArrowRight') move(1);
    else if (event.key === 'Home') move(-Infinity);
    else if (event.key === 'End') move(Infinity);
    else return;
    event.preventDefault();
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void loadFile(file);
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') === lastHash) return;
    restoreFromHash();
    update();
  });

  function restoreFromHash(): void {
    stop();
    const { state, problems } = decodeHash(location.hash);
    session.restore(state);
    if (problems.length > 0) session.error = [...problems, session.error].filter((p) => p !== '').join('; ');
    selected = null;
  }

  // ---------- drawing ----------
  function update(): void {
    const state = session.current();
    const timeline = session.timeline;
    const step = timeline.steps[session.step]!;
    const snapshot = state.snapshot;
    const o = session.options;

    // Controls.
    if (session.scenario === TRACE_SCENARIO_ID) {
      traceOption.textContent = `Trace: ${session.traceName ?? 'file'}`;
      if (traceOption.parentElement === null) scenarioSelect.append(traceOption);
    } else traceOption.remove();
    scenarioSelect.value = session.scenario;
    policySelect.value = o.policy;
    pageInput.value = String(o.pageSize);
    startInput.value = String(o.startAddress);
    alignInput.value = String(o.alignment);
    minPagesInput.value = String(o.minNodePages);
    autoTrimInput.checked = o.autoTrim;
    const scenario = findScenario(session.scenario);
    scenarioText.textContent =
      session.scenario === TRACE_SCENARIO_ID
        ? `Trace ${session.traceName}: ${session.lastStep} operations.`
        : (scenario?.description ?? '');
    errorLine.textContent = session.error;

    // Timeline.
    stepText.textContent = `${session.step} / ${session.lastStep}`;
    slider.max = String(session.lastStep);
    slider.value = String(session.step);
    slider.setAttribute('aria-valuetext', `step ${session.step} of ${session.lastStep}`);
    prevButton.disabled = session.step === 0;
    nextButton.disabled = session.step === session.lastStep;
    playButton.textContent = playing === null ? 'play' : 'pause';
    playButton.setAttribute('aria-pressed', String(playing !== null));

    // Step panel.
    replace(
      stepPanel,
      el('h2', {}, `Step ${session.step}: `, el('code', { 'data-testid': 'operation', text: step.label })),
      el(
        'p',
        { class: step.ok ? 'result ok' : 'result failed', 'data-testid': 'result' },
        step.ok ? '→ ' : '✗ ',
        step.result,
      ),
      el(
        'ul',
        { class: 'changes', 'data-testid': 'changes' },
        ...(state.details.changes.length > 0
          ? state.details.changes.map((c) => el('li', { text: c }))
          : [
              el('li', {
                class: 'muted',
                text: session.step === 0 ? 'the heap is empty' : 'nothing changed',
              }),
            ]),
      ),
    );
    drawValidation();
    statsText.textContent = state.statsText;

    drawStepList(timeline);
    drawSeedView(snapshot, step.address);
    drawAddressBar(addressBar, snapshot, step.address, true);
    drawDetails(snapshot);
    const block = selectedBlock();
    for (const b of [freeButton, getButton, reallocButton, writeButton]) b.disabled = block === null;
    compareDetails.open = session.compare;
    if (session.compare) drawCompare();

    const hash = encodeHash(session.pageState());
    if (hash !== lastHash) {
      lastHash = hash;
      history.replaceState(null, '', `#${hash}`);
    }
  }

  let validating: ReturnType<typeof setTimeout> | null = null;

  function drawValidation(): void {
    const timeline = session.timeline;
    const invalid = session.current().details.invalid;
    const { checked, failures } = timeline.validation;
    const total = timeline.steps.length;
    const here =
      invalid === null
        ? '✓ validate() passed after this step'
        : `✗ validate() failed after this step: ${invalid}`;
    const others = [...failures.keys()].filter((k) => k !== session.step);
    const overall =
      checked >= total
        ? others.length === 0
          ? `it ran after every one of the ${total} steps${failures.size === 0 ? ', all passed' : ''}`
          : `it failed after step(s) ${others.slice(0, 10).join(', ')}${others.length > 10 ? ', …' : ''}`
        : `checking every step in the background: ${checked} of ${total} so far, ${
            failures.size === 0
              ? 'all passed'
              : `failed after step(s) ${[...failures.keys()].slice(0, 10).join(', ')}`
          }`;
    validateLine.className = invalid === null && failures.size === 0 ? 'validate ok' : 'validate failed';
    validateLine.textContent = `${here}; ${overall}`;
    if (checked < total && validating === null)
      validating = setTimeout(() => {
        validating = null;
        session.validateMore(25);
        drawValidation();
      }, 0);
  }

  function drawStepList(timeline: Timeline): void {
    const from = Math.max(0, session.step - STEP_LIST_WINDOW / 2);
    const to = Math.min(timeline.steps.length, from + STEP_LIST_WINDOW);
    const items: Child[] = [];
    if (from > 0) items.push(el('li', { class: 'muted', text: `… ${from} earlier step(s)` }));
    for (let i = from; i < to; i++) {
      const s = timeline.steps[i]!;
      items.push(
        el(
          'li',
          { value: i },
          el(
            'button',
            {
              type: 'button',
              class: `step-item${i === session.step ? ' current' : ''}${s.ok ? '' : ' failed'}`,
              'aria-current': i === session.step ? 'step' : undefined,
              onclick: () => {
                stop();
                session.goTo(i);
                update();
              },
            },
            el('code', { text: s.label }),
            ` ${s.ok ? '→' : '✗'} ${s.result}`,
          ),
        ),
      );
    }
    if (to < timeline.steps.length)
      items.push(el('li', { class: 'muted', text: `… ${timeline.steps.length - to} later step(s)` }));
    replace(stepList, ...items);
    const current = stepList.querySelector<HTMLElement>('.current');
    if (current !== null) {
      const top = current.parentElement!.offsetTop;
      if (top < stepList.scrollTop || top + current.offsetHeight > stepList.scrollTop + stepList.clientHeight)
        stepList.scrollTop = top - stepList.clientHeight / 2;
    }
  }

  function segmentButton(
    segment: SegmentSnapshot,
    touched: number | null,
    extraClass: string,
  ): HTMLButtonElement {
    const kind = segment.kind === 'PROCESS' ? 'process' : 'hole';
    const isTouched = touched !== null && segment.start <= touched && touched <= segment.lastAddress;
    const button = el('button', {
      type: 'button',
      class: `seg ${kind}${selected === segment.start ? ' selected' : ''}${isTouched ? ' touched' : ''} ${extraClass}`,
      'data-start': segment.start,
      'data-testid': 'segment',
      'aria-pressed': String(selected === segment.start),
      'aria-label': `${segment.kind} ${segment.start} to ${segment.lastAddress}, ${segment.size} bytes`,
      onclick: () => select(segment.start),
      onmouseenter: () => highlight(segment.start, true),
      onmouseleave: () => highlight(segment.start, false),
      onfocus: () => highlight(segment.start, true),
      onblur: () => highlight(segment.start, false),
    });
    return button;
  }

  function highlight(start: number, on: boolean): void {
    for (const node of root.querySelectorAll(`[data-start="${start}"]`)) node.classList.toggle('hovered', on);
  }

  function drawSeedView(snapshot: HeapSnapshot, touched: number | null): void {
    if (snapshot.nodes.length === 0) {
      replace(
        seedView,
        el('p', {
          class: 'muted',
          text: 'MAIN → NULL: no node yet (nothing is mapped until the first malloc).',
        }),
      );
      return;
    }
    let drawn = 0;
    const rows: Child[] = [];
    for (const node of snapshot.nodes) {
      if (drawn >= PICTURE_SEGMENT_LIMIT) break;
      const chain: Child[] = [];
      for (const segment of node.segments) {
        if (drawn >= PICTURE_SEGMENT_LIMIT) break;
        drawn++;
        const b = segmentButton(segment, touched, '');
        b.append(
          el('span', { class: 'seg-kind', text: segment.kind === 'PROCESS' ? 'P' : 'H' }),
          el('span', { class: 'seg-range', text: range(segment) }),
          el('span', { class: 'seg-size', text: `${segment.size} B` }),
        );
        if (chain.length > 0) chain.push(el('span', { class: 'link', 'aria-hidden': 'true', text: '⇄' }));
        chain.push(b);
      }
      chain.push(
        el(
          'span',
          { class: 'null' },
          el('span', { class: 'link', 'aria-hidden': 'true', text: '→ ' }),
          'NULL',
        ),
      );
      rows.push(
        el(
          'div',
          { class: 'node-row', role: 'group', 'aria-label': `node ${range(node)}` },
          el(
            'div',
            { class: 'main-node' },
            el('strong', { text: 'MAIN' }),
            el('span', { text: range(node) }),
            el('span', { class: 'muted', text: `${node.pages} page${node.pages === 1 ? '' : 's'}` }),
          ),
          el('span', { class: 'link', 'aria-hidden': 'true', text: '→' }),
          el('div', { class: 'chain' }, ...chain),
        ),
      );
    }
    const total = snapshot.counters.segments;
    if (drawn < total)
      rows.push(
        el('p', { class: 'muted', text: `… and ${total - drawn} more segments (see the address bar)` }),
      );
    rows.push(el('p', { class: 'null-row', text: 'MAIN → NULL' }));
    replace(seedView, ...rows);
  }

  function drawAddressBar(
    target: HTMLElement,
    snapshot: HeapSnapshot,
    touched: number | null,
    interactive: boolean,
  ): void {
    const pieces = layoutAddressBar(snapshot);
    if (pieces.length === 0) {
      replace(target, el('p', { class: 'muted', text: 'No virtual addresses yet.' }));
      return;
    }
    const bar = el('div', { class: 'address-bar', role: 'group', 'aria-label': 'virtual address space' });
    for (const piece of pieces) {
      const style = `left:${piece.left}%;width:${piece.width}%`;
      if (piece.kind === 'GAP') {
        bar.append(el('div', { class: 'bar-piece gap', style, title: `not mapped ${range(piece)}` }));
        continue;
      }
      const segment: SegmentSnapshot = {
        kind: piece.kind,
        start: piece.start,
        lastAddress: piece.lastAddress,
        size: piece.lastAddress - piece.start + 1,
      };
      if (interactive) {
        const b = segmentButton(segment, touched, 'bar-piece');
        b.setAttribute('style', style);
        b.setAttribute('title', `${piece.kind === 'PROCESS' ? 'P' : 'H'}${range(piece)} ${segment.size} B`);
        b.tabIndex = -1;
        bar.append(b);
      } else {
        bar.append(el('div', { class: `bar-piece ${piece.kind === 'PROCESS' ? 'process' : 'hole'}`, style }));
      }
    }
    for (const node of snapshot.nodes) {
      const first = snapshot.nodes[0]!.start;
      const total = snapshot.nodes[snapshot.nodes.length - 1]!.lastAddress - first + 1;
      bar.append(el('div', { class: 'node-edge', style: `left:${((node.start - first) / total) * 100}%` }));
    }
    const first = pieces[0]!.start;
    const last = pieces[pieces.length - 1]!.lastAddress;
    replace(
      target,
      bar,
      el(
        'div',
        { class: 'bar-axis' },
        el('span', { text: String(first) }),
        el('span', { text: String(last) }),
      ),
    );
  }

  function findSegment(
    snapshot: HeapSnapshot,
    start: number,
  ): { segment: SegmentSnapshot; node: NodeSnapshot } | null {
    for (const node of snapshot.nodes)
      for (const segment of node.segments) if (segment.start === start) return { segment, node };
    return null;
  }

  function drawDetails(snapshot: HeapSnapshot): void {
    if (selected === null) {
      replace(
        details,
        el('p', {
          class: 'muted',
          text: 'Select a segment (click, or Tab to it and press Enter) to see its addresses and its place in the policy.',
        }),
      );
      return;
    }
    const found = findSegment(snapshot, selected);
    if (found === null) {
      replace(details, el('p', { class: 'muted', text: `No segment starts at ${selected} at this step.` }));
      return;
    }
    const { segment, node } = found;
    const state = session.current();
    let physical: string;
    if (segment.kind === 'PROCESS') {
      try {
        physical = `mems_get(${segment.start}) = ${state.heap.translate(segment.start)}`;
      } catch (error) {
        physical = errorText(error);
      }
    } else {
      let refusal = '';
      try {
        state.heap.translate(segment.start);
      } catch (error) {
        refusal = errorText(error);
      }
      const base = BigInt(node.physicalAddress) + BigInt(segment.start - node.start);
      physical = `its bytes are at physical ${base}, but mems_get refuses a hole: ${refusal}`;
    }
    let bytes = '';
    if (segment.kind === 'PROCESS') {
      const view = state.heap.view(segment.start, Math.min(16, segment.size));
      bytes =
        Array.from(view, (b) => b.toString(16).padStart(2, '0')).join(' ') + (segment.size > 16 ? ' …' : '');
    }
    replace(
      details,
      el(
        'dl',
        {},
        el('dt', { text: 'segment' }),
        el('dd', {
          text: `${segment.kind === 'PROCESS' ? 'P' : 'H'}${range(segment)}: ${segment.kind}, ${segment.size} bytes`,
        }),
        el('dt', { text: 'virtual' }),
        el('dd', { text: `${segment.start} to ${segment.lastAddress}` }),
        el('dt', { text: 'physical' }),
        el('dd', { 'data-testid': 'physical', text: physical }),
        el('dt', { text: 'node' }),
        el('dd', { text: `MAIN${range(node)}, ${node.pages} page(s) at physical ${node.physicalAddress}` }),
        el('dt', { text: 'policy index' }),
        el('dd', {
          'data-testid': 'index-position',
          text: describeIndexPosition(snapshot, segment, state.cursor),
        }),
        bytes !== '' && el('dt', { text: 'first bytes' }),
        bytes !== '' && el('dd', {}, el('code', { text: bytes })),
      ),
    );
  }

  function drawCompare(): void {
    const timeline = session.timeline;
    if (
      compareCache === null ||
      compareCache.timeline !== timeline ||
      compareCache.options !== session.options
    ) {
      try {
        const program = toPortableProgram(timeline);
        compareCache = {
          timeline,
          options: session.options,
          program,
          runs: comparePolicies(session.options, program),
        };
      } catch (error) {
        replace(compareBody, el('p', { class: 'error', text: errorText(error) }));
        return;
      }
    }
    const { runs, program } = compareCache;
    const frame = chartFrame(compareBody.clientWidth);
    chartWidth = frame.width;
    const { plotWidth: width, plotHeight: height } = frame;
    const x = (i: number) => (session.lastStep === 0 ? 0 : (i / session.lastStep) * width);

    const chart = svg(
      'svg',
      {
        width: frame.width,
        height: frame.height,
        viewBox: `0 0 ${frame.width} ${frame.height}`,
        class: 'chart',
        role: 'img',
        'data-testid': 'compare-chart',
        'aria-label': 'utilisation (solid) and fragmentation (dashed) of each policy over the steps',
      },
      svg(
        'g',
        { class: 'plot', transform: `translate(${frame.plotLeft} ${frame.plotTop})` },
        svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }),
        svg('line', { x1: 0, y1: 0, x2: 0, y2: height, class: 'axis' }),
        svg('text', { x: -6, y: 4, 'text-anchor': 'end', class: 'tick' }, '100%'),
        svg('text', { x: -6, y: height / 2 + 4, 'text-anchor': 'end', class: 'tick' }, '50%'),
        svg('text', { x: -6, y: height + 4, 'text-anchor': 'end', class: 'tick' }, '0%'),
        svg('text', { x: 0, y: height + 18, class: 'tick' }, 'step 0'),
        svg(
          'text',
          { x: width, y: height + 18, 'text-anchor': 'end', class: 'tick' },
          `step ${session.lastStep}`,
        ),
        svg('line', { x1: x(session.step), y1: 0, x2: x(session.step), y2: height, class: 'cursor' }),
        ...runs.flatMap((run, k) => [
          svg('path', {
            d: linePath(run.steps, run.utilisation, session.lastStep, width, height),
            stroke: POLICY_COLOURS[run.policy],
            'stroke-width': 7 - 1.6 * k,
            class: 'util',
            transform: `translate(0 ${-k * 0.8})`,
            'data-policy': run.policy,
          }),
          svg('path', {
            d: linePath(run.steps, run.fragmentation, session.lastStep, width, height),
            stroke: POLICY_COLOURS[run.policy],
            'stroke-width': 6 - 1.4 * k,
            class: 'frag',
            transform: `translate(0 ${k * 0.8})`,
          }),
        ]),
      ),
    );
    const chartLegend = el(
      'div',
      { class: 'legend' },
      ...runs.flatMap((run) => [
        el('span', { class: 'line-swatch', style: `border-color:${POLICY_COLOURS[run.policy]}` }),
        ` ${run.policy} `,
      ]),
      el('span', { class: 'line-swatch', style: 'border-color:#333' }),
      ' utilisation (solid) ',
      el('span', { class: 'line-swatch dashed', style: 'border-color:#333' }),
      ' fragmentation (dashed)',
    );
    const panels = runs.map((run) => {
      const snapshot = portableSnapshotAt(session.options, run.policy, program, session.step);
      const bar = el('div', { class: 'address-bar-wrap small' });
      drawAddressBar(bar, snapshot, null, false);
      const metrics = computeMetrics(snapshot);
      return el(
        'div',
        { class: 'policy-panel', 'data-testid': 'compare-policy', 'data-policy': run.policy },
        el(
          'h3',
          {},
          el('span', { class: 'line-swatch', style: `border-color:${POLICY_COLOURS[run.policy]}` }),
          ` ${run.policy}`,
        ),
        bar,
        el(
          'p',
          { class: 'figures' },
          `utilisation ${percent(metrics.utilisation)} · fragmentation ${percent(metrics.externalFragmentation)} · ${snapshot.counters.pagesMapped} page(s) · ${snapshot.nodes.length} node(s) · ${snapshot.counters.holes} hole(s)`,
        ),
        run.failures.count > 0 &&
          el('p', {
            class: 'error',
            text: `${run.failures.count} step(s) failed: ${run.failures.first.join('; ')}`,
          }),
      );
    });
    replace(
      compareBody,
      el('p', {
        class: 'help',
        text:
          'Blocks are named by the step that made them, so a free frees the same block under every policy. Each panel shows step ' +
          `${session.step}.`,
      }),
      chart,
      chartLegend,
      el('div', { class: 'policy-panels' }, ...panels),
    );
  }

  // ---------- start ----------
  if (location.hash.length > 1) restoreFromHash();
  update();
}
