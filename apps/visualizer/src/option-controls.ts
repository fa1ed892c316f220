import type { PolicyName } from '@mems/core';
import { el } from './dom.js';
import { findScenario, SCENARIOS } from './scenarios.js';
import { type Session, TRACE_SCENARIO_ID } from './session.js';
import { createShareButton } from './share-button.js';
import { POLICY_CHOICES, type VisualOptions } from './visual-heap.js';

/** What the option controls ask the page to do. */
export interface OptionActions {
  /** Starts a built-in scenario. */
  chooseScenario(id: string): void;
  /** Re-runs the program with other options (an invalid value is the session's to refuse). */
  setOptions(change: Partial<VisualOptions>): void;
  /** Loads a trace file. */
  loadFile(file: File): void;
}

const field = (label: string, input: HTMLElement, forId: string) =>
  el('label', { class: 'field', for: forId }, el('span', { text: label }), input);

/**
 * The scenario and options bar: scenario, policy, page size, start address, alignment, fewest
 * pages per node, auto-trim, the trace file picker and "Copy link"; and the scenario's
 * description under it. The controls show what the session holds after each {@link OptionControls.sync}.
 */
export class OptionControls {
  /** The `<section class="controls">`. */
  readonly element: HTMLElement;
  /** The scenario's (or the trace's) description. */
  readonly description = el('p', { class: 'scenario-text', 'data-testid': 'scenario-description' });
  private readonly scenarioSelect: HTMLSelectElement;
  private readonly traceOption = el('option', { value: TRACE_SCENARIO_ID, text: 'Trace file' });
  private readonly policySelect: HTMLSelectElement;
  private readonly numberInputs: { input: HTMLInputElement; key: keyof VisualOptions }[] = [];
  private readonly autoTrimInput: HTMLInputElement;

  /**
   * @param session the page's session (read by {@link OptionControls.sync}).
   * @param actions what a change of a control does.
   * @param location the page's address, for "Copy link".
   */
  constructor(
    private readonly session: Session,
    actions: OptionActions,
    location: Location,
  ) {
    const scenarioSelect = el('select', {
      id: 'scenario',
      'data-testid': 'scenario',
      onchange: () => {
        if (scenarioSelect.value !== TRACE_SCENARIO_ID) actions.chooseScenario(scenarioSelect.value);
      },
    });
    for (const s of SCENARIOS) scenarioSelect.append(el('option', { value: s.id, text: s.label }));
    this.scenarioSelect = scenarioSelect;
    const policySelect = el(
      'select',
      {
        id: 'policy',
        'data-testid': 'policy',
        onchange: () => actions.setOptions({ policy: policySelect.value as PolicyName }),
      },
      ...POLICY_CHOICES.map((p) => el('option', { value: p, text: p })),
    );
    this.policySelect = policySelect;
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
          actions.setOptions({ [key]: value } as Partial<VisualOptions>);
        },
      });
      this.numberInputs.push({ input, key });
      return input;
    };
    const autoTrimInput = el('input', {
      id: 'auto-trim',
      'data-testid': 'auto-trim',
      type: 'checkbox',
      onchange: () => actions.setOptions({ autoTrim: autoTrimInput.checked }),
    });
    this.autoTrimInput = autoTrimInput;
    const traceInput = el('input', {
      id: 'trace-file',
      'data-testid': 'trace-file',
      type: 'file',
      accept: '.trace,.txt,.rep,.gz,text/plain,application/gzip',
      onchange: () => {
        const file = traceInput.files?.[0];
        if (file !== undefined) actions.loadFile(file);
        traceInput.value = '';
      },
    });
    this.element = el(
      'section',
      { class: 'controls', 'aria-label': 'scenario and options' },
      field('Scenario', scenarioSelect, 'scenario'),
      field('Policy', policySelect, 'policy'),
      field('Page size', numberInput('page-size', 'pageSize', 1, 'heap page size in bytes'), 'page-size'),
      field(
        'Start address',
        numberInput('start-address', 'startAddress', 0, 'the first MeMS virtual address'),
        'start-address',
      ),
      field(
        'Alignment',
        numberInput('alignment', 'alignment', 1, 'block alignment in bytes (a power of two)'),
        'alignment',
      ),
      field(
        'Min node pages',
        numberInput('min-node-pages', 'minNodePages', 1, 'the fewest pages a new node maps'),
        'min-node-pages',
      ),
      el(
        'label',
        { class: 'field check', for: 'auto-trim' },
        autoTrimInput,
        el('span', { text: 'auto-trim' }),
      ),
      field(
        'Trace file (.trace or CS:APP .rep, plain or .gz), or drop one on the page',
        traceInput,
        'trace-file',
      ),
      createShareButton(location),
    );
  }

  /** Shows the session's scenario (a loaded trace gets its own option), options and description. */
  sync(): void {
    const session = this.session;
    if (session.scenario === TRACE_SCENARIO_ID) {
      this.traceOption.textContent = `Trace: ${session.traceName ?? 'file'}`;
      if (this.traceOption.parentElement === null) this.scenarioSelect.append(this.traceOption);
    } else this.traceOption.remove();
    this.scenarioSelect.value = session.scenario;
    const o = session.options;
    this.policySelect.value = o.policy;
    for (const { input, key } of this.numberInputs) input.value = String(o[key]);
    this.autoTrimInput.checked = o.autoTrim;
    this.description.textContent =
      session.scenario === TRACE_SCENARIO_ID
        ? `Trace ${session.traceName}: ${session.lastStep} operations.`
        : (findScenario(session.scenario)?.description ?? '');
  }
}
