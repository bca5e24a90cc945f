/**
 * The message templates' language, kept tiny so templates stay data: `{{name}}` inserts a value
 * (HTML-escaped in the HTML part), `{{#name}}…{{/name}}` keeps its content only when the value is
 * present, `{{^name}}…{{/name}}` only when it is absent. A name the template uses but the caller
 * did not supply is an error, so a typo in a template fails its test instead of mailing a blank.
 */
export type TemplateValues = Readonly<Record<string, string | undefined>>;

export interface MessageTemplate {
  /** A stable name: the metric dimension and the outbox's X-Template header. */
  id: string;
  subject: string;
  text: string;
  html: string;
}

/** Wraps every message: `{{body}}` receives the rendered template, the rest is the footer. */
export interface MessageLayout {
  text: string;
  html: string;
}

export interface RenderedMessage {
  templateId: string;
  subject: string;
  text: string;
  html: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const SECTION = /\{\{([#^])([a-zA-Z][a-zA-Z0-9]*)\}\}([\s\S]*?)\{\{\/\2\}\}/g;
const VARIABLE = /\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g;

/** Renders one part of a template. `escape` is applied to every inserted value. */
export function renderPart(source: string, values: TemplateValues, escape: (value: string) => string = (value) => value): string {
  const has = (name: string) => {
    if (!(name in values)) throw new TemplateError(`the template uses {{${name}}}, which was not supplied`);
    const value = values[name];
    return value !== undefined && value !== '';
  };
  const withSections = source.replace(SECTION, (_, kind: string, name: string, inner: string) => ((kind === '#') === has(name) ? inner : ''));
  const rendered = withSections.replace(VARIABLE, (_, name: string) => {
    if (!has(name)) throw new TemplateError(`{{${name}}} is used outside a {{#${name}}} section but has no value`);
    return escape(values[name] as string);
  });
  if (/\{\{|\}\}/.test(rendered)) throw new TemplateError('the template has an unbalanced or malformed tag');
  return rendered;
}

/** Subject, text and HTML of one message, inside the layout. */
export function renderMessage(template: MessageTemplate, layout: MessageLayout, values: TemplateValues): RenderedMessage {
  const subject = renderPart(template.subject, values).replace(/\s+/g, ' ').trim();
  const text = renderPart(layout.text, { ...values, body: renderPart(template.text, values).trim() });
  const html = renderPart(
    layout.html,
    { ...values, subject, body: '\u0000' },
    escapeHtml,
  ).replace('\u0000', renderPart(template.html, values, escapeHtml).trim());
  return { templateId: template.id, subject, text: `${text.trim()}\n`, html: `${html.trim()}\n` };
}
