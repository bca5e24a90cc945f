// The local stack's mailbox for a person: /outbox lists what the notification worker "sent" (the
// .eml files of the outbox mailer, newest first) and /outbox/<file> shows one, its HTML part in a
// sandboxed frame so a message's markup cannot touch the page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEml } from '../../services/notification-service/src/adapters/outbox/eml';

/** Where the outbox mailer writes, under the local stack's data folder. */
export function outboxDir(dataDir: string): string {
  return join(dataDir, 'outbox');
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:12px}iframe{width:100%;height:480px;border:1px solid #ddd}</style>
</head>
<body>
${body}
</body>
</html>
`;

function messages(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

function listing(dir: string): string {
  const names = messages(dir);
  const rows = names.map((name) => {
    const { headers } = parseEml(readFileSync(join(dir, name), 'utf8'));
    return `<tr data-template="${escape(headers['x-template'] ?? '')}"><td>${escape(headers.date ?? '')}</td><td>${escape(headers.to ?? '')}</td><td><a href="/outbox/${encodeURIComponent(name)}">${escape(headers.subject ?? '(no subject)')}</a></td><td>${escape(headers['x-template'] ?? '')}</td></tr>`;
  });
  return page(
    'Outbox',
    `<h1>Outbox</h1>
<p id="count">${names.length === 1 ? '1 message' : `${names.length} messages`} in ${escape(dir)}</p>
<table><thead><tr><th>Date</th><th>To</th><th>Subject</th><th>Template</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`,
  );
}

function message(dir: string, name: string): string | undefined {
  if (!messages(dir).includes(name)) return undefined;
  const { headers, text, html } = parseEml(readFileSync(join(dir, name), 'utf8'));
  const fields = ['from', 'to', 'subject', 'date', 'x-billing-event-id', 'x-template']
    .map((key) => `<tr><th>${escape(key)}</th><td>${escape(headers[key] ?? '')}</td></tr>`)
    .join('\n');
  return page(
    headers.subject ?? name,
    `<p><a href="/outbox">&larr; Outbox</a></p>
<h1>${escape(headers.subject ?? name)}</h1>
<table>${fields}</table>
<h2>HTML</h2>
<iframe title="HTML part" sandbox srcdoc="${escape(html)}"></iframe>
<h2>Text</h2>
<pre id="text">${escape(text)}</pre>`,
  );
}

/** The outbox pages, for the local HTTP API's static files. */
export function outboxPages(dir: string): (pathname: string) => { contentType: string; body: Buffer } | undefined {
  return (pathname) => {
    if (pathname === '/outbox' || pathname === '/outbox/') return { contentType: 'text/html; charset=utf-8', body: Buffer.from(listing(dir)) };
    if (!pathname.startsWith('/outbox/')) return undefined;
    let name: string;
    try {
      name = decodeURIComponent(pathname.slice('/outbox/'.length));
    } catch {
      return undefined;
    }
    // Only a name the listing shows is read: no path leads out of the folder.
    const html = message(dir, name);
    return html === undefined ? undefined : { contentType: 'text/html; charset=utf-8', body: Buffer.from(html) };
  };
}
