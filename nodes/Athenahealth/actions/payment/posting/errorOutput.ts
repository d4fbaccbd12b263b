import type { IDataObject } from 'n8n-workflow';

// n8n 2.41 sends an item to the error output only when its json holds nothing but error/message/details (earlier
// lines: error, or error and message), so a failed row's status travels in `details` there; on the regular output
// the row stays flat for the results sheet. Building and recognising that shape live here together.

export function errorOutputJson(row: IDataObject): IDataObject {
	return { error: row.error, details: row };
}

export function isErrorOutputJson(json: IDataObject): boolean {
	return (
		'details' in json && Object.keys(json).every((key) => key === 'error' || key === 'details')
	);
}
