/**
 * The one dim line an interactive run opens with: which creature, on which
 * model, in which folder, under which approval mode, saved as which session
 * (so `kt resume <name>` is known from the start). Written once into the
 * transcript as an info line, never redrawn.
 */
import stringWidth from 'string-width';

export interface StartBannerData {
  creature: string;
  model: string;
  /** The working folder, with `~` for the home folder. */
  cwd: string;
  approvalMode: string;
  /** The session's name; absent with --no-session. */
  session?: string | undefined;
}

/** The banner as one line of at most `columns` cells: the folder gives way first (keeping its end), then the tail is cut. */
export function bannerText(data: StartBannerData, columns: number): string {
  const line = (cwd: string) => [data.creature, data.model, cwd, `approvals: ${data.approvalMode}`, data.session ? `session ${data.session}` : 'no session'].join(' · ');
  const room = Math.max(10, columns);
  let cwd = data.cwd;
  const space = room - stringWidth(line(''));
  if (stringWidth(cwd) > space) cwd = space > 4 ? `…${cwd.slice(cwd.length - (space - 1))}` : '…';
  let text = line(cwd);
  if (stringWidth(text) <= room) return text;
  while (text && stringWidth(`${text}…`) > room) text = text.slice(0, -1);
  return `${text}…`;
}
