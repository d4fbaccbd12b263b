/** The last 10,000 non-admin requests, oldest first (`requests()`, `GET /__admin/requests`). */
import type { RequestLogEntry } from './types';

const REQUEST_LOG_SIZE = 10000;

export class RequestLog {
	private entries: RequestLogEntry[] = [];
	private next = 0;

	clear(): void {
		this.entries = [];
		this.next = 0;
	}

	add(entry: RequestLogEntry): void {
		if (this.entries.length < REQUEST_LOG_SIZE) {
			this.entries.push(entry);
		} else {
			this.entries[this.next] = entry;
			this.next = (this.next + 1) % REQUEST_LOG_SIZE;
		}
	}

	/** Copies, oldest first. */
	list(): RequestLogEntry[] {
		const log = this.entries;
		const ordered = log.length < REQUEST_LOG_SIZE ? log : log.slice(this.next).concat(log.slice(0, this.next));
		return ordered.map((r) => ({ ...r, query: { ...r.query } }));
	}
}
