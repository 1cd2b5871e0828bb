// The development identity provider's login page: one button per demo user, no password. Pure.
import type { DevUser } from './directory.ts';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function loginPage(action: string, clientName: string, users: readonly DevUser[]): string {
  const rows = users.map(
    (u) =>
      `<li><button type="submit" name="user" value="${escape(u.sub)}">${escape(u.email)}</button> ` +
      `<small>${escape(u.note)}${u.groups.length > 0 ? `; groups: ${escape(u.groups.join(', '))}` : ''}</small></li>`,
  );
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Gatehouse development sign-in</title></head><body>',
    '<h1>Gatehouse development identity provider</h1>',
    `<p>${escape(clientName)} asks to act for you at the Gatehouse demo gateway. Pick a user (development only: no password).</p>`,
    `<form method="post" action="${escape(action)}"><ul>`,
    ...rows,
    '</ul></form>',
    '</body></html>',
    '',
  ].join('\n');
}
