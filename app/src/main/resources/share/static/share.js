// Switchboard share page: progressive enhancement of the plain HTML form. Without this script
// the form posts and the server answers with a result page; with it, the run streams in place
// (fetch + ReadableStream over server-sent events). Never uses innerHTML for anything a user or
// an app wrote: all text goes in through textContent.
(() => {
  'use strict';

  const form = document.getElementById('run-form');
  if (!form || !window.fetch || !window.TextDecoderStream) {
    return; // the plain form keeps working
  }

  const $ = (id) => document.getElementById(id);
  const result = $('result');
  const resultBody = $('result-body');
  const statusEl = $('result-status');
  const live = $('result-live');
  const messageEl = $('result-message');
  const outputsEl = $('outputs');
  const referenceEl = $('result-reference');
  const referenceId = $('result-reference-id');
  const formError = $('form-error');
  const button = $('run-button');
  const hint = $('run-hint');

  // Plain words per run status; SharePages.statusText/tone on the server are the same table.
  const STATUS = {
    succeeded: ['Done.', 'success'],
    blocked: ['Blocked.', 'warning'],
    waiting_review: ['Waiting for review.', 'info'],
    rejected: ['Declined.', 'warning'],
    cancelled: ['Stopped.', 'info'],
    queued: ['Working…', 'info'],
    running: ['Working…', 'info'],
    failed: ['Something went wrong.', 'error'],
    timed_out: ['Something went wrong.', 'error'],
  };

  let running = false;

  form.noValidate = true; // our messages, next to each field, in the same words as the server's
  if (hint) {
    hint.textContent = /Mac|iPhone|iPad/.test(navigator.platform || '') ? 'or press ⌘+Enter' : 'or press Ctrl+Enter';
    hint.hidden = false;
  }

  const fields = Array.from(form.querySelectorAll('.field[data-field]'));
  const controlOf = (field) => field.querySelector('input, textarea');
  const codePoints = (text) => Array.from(text).length;

  // Character counters for fields with a limit.
  for (const field of fields) {
    const max = Number(field.dataset.maxLength || 0);
    const counter = field.querySelector('.counter');
    const control = controlOf(field);
    if (!max || !counter || !control) {
      continue;
    }
    const update = () => {
      const used = codePoints(control.value);
      counter.textContent = `${used} / ${max}`;
      counter.classList.toggle('over', used > max);
    };
    counter.hidden = false;
    control.addEventListener('input', update);
    update();
  }

  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function setFieldError(field, message) {
    const control = controlOf(field);
    const error = field.querySelector('.field-error');
    field.classList.add('has-error');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
    }
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  }

  function clearErrors() {
    for (const field of fields) {
      field.classList.remove('has-error');
      const control = controlOf(field);
      if (control) {
        control.removeAttribute('aria-invalid');
      }
      const error = field.querySelector('.field-error');
      if (error) {
        error.textContent = '';
        error.hidden = true;
      }
    }
    showFormError(null);
  }

  function showFormError(message) {
    formError.textContent = message || '';
    formError.hidden = !message;
  }

  function friendly(field, code, fallback) {
    const label = field.dataset.label || field.dataset.field;
    switch (code) {
      case 'required': return `Please fill in ${label}.`;
      case 'too_long': return `This is too long: ${label} takes at most ${field.dataset.maxLength} characters.`;
      case 'wrong_type':
        return { number: 'Please enter a number.', boolean: 'Please choose yes or no.', json: 'Please enter valid JSON.' }[field.dataset.type]
          || 'Please enter text.';
      default: return fallback;
    }
  }

  /** Reads the form into {inputs, errors}, checking what the server would check. */
  function collect() {
    const inputs = {};
    const errors = new Map();
    for (const field of fields) {
      const name = field.dataset.field;
      const control = controlOf(field);
      const required = field.dataset.required === 'true';
      switch (field.dataset.type) {
        case 'boolean':
          inputs[name] = control.checked;
          break;
        case 'number': {
          const text = control.value.trim();
          if (!text) {
            if (required) errors.set(field, friendly(field, 'required'));
          } else if (!Number.isFinite(Number(text))) {
            errors.set(field, friendly(field, 'wrong_type'));
          } else {
            inputs[name] = Number(text);
          }
          break;
        }
        case 'json': {
          const text = control.value.trim();
          if (!text) {
            if (required) errors.set(field, friendly(field, 'required'));
            break;
          }
          try {
            inputs[name] = JSON.parse(text);
          } catch (e) {
            errors.set(field, `This is not valid JSON (${e.message}).`);
          }
          break;
        }
        default: {
          const text = control.value.replace(/\r\n/g, '\n');
          const max = Number(field.dataset.maxLength || 0);
          if (required && !text.trim()) {
            errors.set(field, friendly(field, 'required'));
          } else if (max && codePoints(text) > max) {
            errors.set(field, friendly(field, 'too_long'));
          } else if (text || required) {
            inputs[name] = text;
          }
        }
      }
    }
    return { inputs, errors };
  }

  function showErrors(errors) {
    let first = null;
    for (const [field, message] of errors) {
      setFieldError(field, message);
      first = first || controlOf(field);
    }
    showFormError(errors.size === 1 ? 'Please check the highlighted field.' : 'Please check the highlighted fields.');
    if (first) {
      first.focus();
    }
  }

  // ---- result area ---------------------------------------------------------------------

  function setState(state) {
    result.dataset.state = state;
    resultBody.setAttribute('aria-busy', state === 'running' ? 'true' : 'false');
  }

  function setStatus(text, busy) {
    statusEl.textContent = '';
    if (busy) {
      const spinner = document.createElement('span');
      spinner.className = 'spinner';
      spinner.setAttribute('aria-hidden', 'true');
      statusEl.append(spinner);
    }
    statusEl.append(document.createTextNode(text));
  }

  function setMessage(text, tone) {
    messageEl.className = `alert alert-${tone || 'info'}`;
    messageEl.textContent = text || '';
    messageEl.hidden = !text;
  }

  function setReference(reference) {
    referenceId.textContent = reference || '';
    referenceEl.hidden = !reference;
  }

  function startRun() {
    running = true;
    button.disabled = true;
    button.textContent = 'Running…';
    result.hidden = false;
    setState('running');
    setStatus('Working…', true);
    setMessage(null);
    setReference(null);
    outputsEl.textContent = '';
    live.textContent = '';
    live.hidden = true;
    reveal();
  }

  function endRun() {
    running = false;
    button.disabled = false;
    button.textContent = 'Run';
    live.querySelectorAll('.cursor').forEach((c) => c.remove());
  }

  function appendToken(node, text) {
    let part = live.querySelector(`[data-node="${CSS.escape(node)}"]`);
    if (!part) {
      part = document.createElement('div');
      part.dataset.node = node;
      live.append(part);
    }
    let cursor = live.querySelector('.cursor');
    if (!cursor) {
      cursor = document.createElement('span');
      cursor.className = 'cursor';
      cursor.setAttribute('aria-hidden', 'true');
    }
    part.append(document.createTextNode(text), cursor); // the cursor follows the newest text
    if (live.hidden) {
      live.hidden = false;
      reveal();
    }
  }

  /** Brings the result area into view (without animation for those who asked for less motion). */
  function reveal() {
    const calm = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    result.scrollIntoView({ block: 'nearest', behavior: calm ? 'auto' : 'smooth' });
  }

  function label(name) {
    const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').trim().toLowerCase();
    return spaced ? spaced[0].toUpperCase() + spaced.slice(1) : name;
  }

  function renderOutputs(outputs) {
    outputsEl.textContent = '';
    for (const [name, value] of Object.entries(outputs || {})) {
      const row = document.createElement('div');
      row.className = 'output';
      const dt = document.createElement('dt');
      dt.textContent = label(name);
      const dd = document.createElement('dd');
      const structured = value !== null && typeof value === 'object';
      dd.className = structured ? 'output-value mono' : 'output-value';
      dd.textContent = structured ? JSON.stringify(value, null, 2) : String(value ?? '');
      row.append(dt, dd);
      outputsEl.append(row);
    }
    addCopyButtons();
  }

  function finish(run) {
    const [text, tone] = STATUS[run.status] || STATUS.failed;
    live.hidden = true;
    renderOutputs(run.outputs);
    setMessage(run.message, tone);
    setStatus(text, false);
    setReference(run.reference);
    setState(run.status === 'succeeded' ? 'done' : 'error');
  }

  /** The run did not happen or its answer did not arrive: say so in plain words. */
  function fail(status, message, tone) {
    result.hidden = false;
    live.hidden = live.textContent.length === 0;
    setStatus(status, false);
    setMessage(message, tone || 'error');
    setState('error');
    reveal();
  }

  // ---- transport -----------------------------------------------------------------------

  async function problemOf(response) {
    try {
      return await response.json();
    } catch (e) {
      return {};
    }
  }

  async function refused(response) {
    const problem = await problemOf(response);
    switch (response.status) {
      case 422: {
        const errors = new Map();
        const others = [];
        for (const e of problem.errors || []) {
          const name = (e.field || '').startsWith('inputs.') ? e.field.slice(7) : null;
          const field = name && fields.find((f) => f.dataset.field === name);
          if (field) {
            errors.set(field, friendly(field, e.code, e.message));
          } else {
            others.push(e.message);
          }
        }
        result.hidden = true;
        if (errors.size) {
          showErrors(errors);
        }
        if (others.length) {
          showFormError(others.join(' '));
        }
        return;
      }
      case 403:
        window.location.reload(); // the passcode page
        return;
      case 404:
        fail('Not available.', 'This link isn’t available any more. It may have expired or been switched off.');
        return;
      case 429: {
        const seconds = Number(response.headers.get('Retry-After')) || problem.retryAfterSeconds || 60;
        fail('Not run.', `Too many requests. Please wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'} and try again.`,
          'warning');
        return;
      }
      case 413:
        fail('Not run.', 'That’s too much input. Please shorten it and try again.', 'warning');
        return;
      default:
        fail('Something went wrong.', 'Something went wrong while running this app. Please try again in a moment.');
    }
  }

  /** Reads server-sent events off a fetch body; calls onEvent(name, data) per event. */
  async function readEvents(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? '' : line.slice(colon + 1);
          if (text.startsWith(' ')) text = text.slice(1);
          if (field === 'event') name = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length) {
          onEvent(name, JSON.parse(data.join('\n')));
        }
      }
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (running) {
      return;
    }
    clearErrors();
    const { inputs, errors } = collect();
    if (errors.size) {
      showErrors(errors);
      return;
    }
    startRun();
    let finished = false;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ inputs }),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!response.ok) {
        await refused(response);
        finished = true;
        return;
      }
      await readEvents(response.body, (name, data) => {
        if (name === 'run') {
          setReference(data.reference);
        } else if (name === 'token') {
          appendToken(data.node, data.text);
        } else if (name === 'done') {
          finished = true;
          finish(data);
        }
      });
      if (!finished) {
        fail('Connection lost.', 'The connection ended before the answer was complete. Please try again.');
      }
    } catch (e) {
      fail('Connection lost.', 'The connection was lost. Please check your network and try again.');
    } finally {
      endRun();
    }
  }

  form.addEventListener('submit', submit);

  // Copy buttons on outputs (also on a result page the server rendered).
  function addCopyButtons() {
    if (!navigator.clipboard) {
      return;
    }
    for (const row of outputsEl.querySelectorAll('.output')) {
      const dt = row.querySelector('dt');
      const dd = row.querySelector('dd');
      if (!dt || !dd || dt.querySelector('.copy')) {
        continue;
      }
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.className = 'copy';
      copy.textContent = 'Copy';
      copy.setAttribute('aria-label', `Copy ${dt.textContent}`);
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(dd.textContent);
          copy.textContent = 'Copied';
        } catch (e) {
          copy.textContent = 'Copy failed';
        }
        setTimeout(() => { copy.textContent = 'Copy'; }, 1600);
      });
      dt.append(copy);
    }
  }
  addCopyButtons();
})();
