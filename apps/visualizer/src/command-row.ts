import { COMMAND_USAGE } from './command.js';
import { el } from './dom.js';

/** What the command row asks the page to do. */
export interface CommandActions {
  /** Runs a typed line as the next step; returns whether a step was added. */
  run(line: string): boolean;
  /** The start of the selected block (a PROCESS segment), `null` when none is selected. */
  selectedBlock(): number | null;
}

/**
 * The command box (Enter runs a line, the REPL's language), its Run button, and the buttons that
 * act on the selected block: `free`, `get (mems_get)`, and `realloc…` and `write…`, which fill
 * the box for the reader to finish. A line that failed stays in the box to be corrected.
 */
export class CommandRow {
  /** The `<section class="command-row">`. */
  readonly element: HTMLElement;
  /** The line of help under it (the commands and the keys). */
  readonly help: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly blockButtons: HTMLButtonElement[];

  /** @param actions running a line, and the selected block. */
  constructor(private readonly actions: CommandActions) {
    const input = el('input', {
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
          this.run(input.value);
        }
      },
    });
    this.input = input;
    const blockButton = (id: string, text: string, action: (address: number) => void) =>
      el('button', {
        type: 'button',
        'data-testid': id,
        text,
        disabled: true,
        onclick: () => {
          const block = actions.selectedBlock();
          if (block !== null) action(block);
        },
      });
    this.blockButtons = [
      blockButton('block-free', 'free', (a) => this.run(`free ${a}`)),
      blockButton('block-get', 'get (mems_get)', (a) => this.run(`get ${a}`)),
      blockButton('block-realloc', 'realloc…', (a) => this.prefill(`realloc ${a} `)),
      blockButton('block-write', 'write…', (a) => this.prefill(`write ${a} `)),
    ];
    this.element = el(
      'section',
      { class: 'command-row', 'aria-label': 'commands' },
      el('label', { for: 'command', class: 'command-label', text: 'Command' }),
      input,
      el('button', {
        type: 'button',
        text: 'Run',
        'data-testid': 'run',
        onclick: () => this.run(input.value),
      }),
      el('span', { class: 'block-buttons', 'aria-label': 'selected block' }, ...this.blockButtons),
    );
    this.help = el(
      'p',
      { id: 'command-help', class: 'help' },
      `One command per Enter: ${Object.values(COMMAND_USAGE).slice(0, 7).join(', ')}; trace operations a <id> <size>, f <id>, r <id> <size>. Numbers in decimal or 0x hex. Keys: ← → step, Home / End.`,
    );
  }

  /** Enables the block buttons when a block is selected. */
  sync(): void {
    const none = this.actions.selectedBlock() === null;
    for (const b of this.blockButtons) b.disabled = none;
  }

  private run(line: string): void {
    if (this.actions.run(line)) this.input.value = '';
    this.input.focus();
  }

  private prefill(text: string): void {
    this.input.value = text;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }
}
