import type { IDataObject } from 'n8n-workflow';

import type { AthenaClient, CallOptions } from './athenaClient';

const PAGE_SIZE = 1500;

/**
 * athena lists: `{"<key>":[…],"totalcount":N,"next":…}` with limit/offset paging. Some list endpoints answer a bare
 * array instead; both are read.
 */
export async function fetchList(
	client: AthenaClient,
	path: string,
	key: string,
	options: { qs?: IDataObject; limit?: number; call: CallOptions },
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	for (let offset = 0; ; ) {
		const pageSize = Math.min(PAGE_SIZE, options.limit ? options.limit - rows.length : PAGE_SIZE);
		const answer = await client.get(path, { ...options.qs, limit: pageSize, offset }, options.call);
		const body = answer.body as IDataObject | IDataObject[] | undefined;
		const page =
			(Array.isArray(body)
				? body
				: Array.isArray(body?.[key])
					? (body[key] as IDataObject[])
					: []) ?? [];
		rows.push(...page);
		const total = Array.isArray(body) ? undefined : Number(body?.totalcount);
		offset += page.length;
		const more =
			page.length > 0 &&
			(Number.isFinite(total) ? offset < (total as number) : page.length === pageSize);
		if (!more || (options.limit !== undefined && rows.length >= options.limit)) break;
	}
	return options.limit !== undefined ? rows.slice(0, options.limit) : rows;
}
