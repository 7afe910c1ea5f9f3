import type {ReadPage, RecordReader} from '../../source/cloud/page.ts';
import type {ApiPage} from '../../source/cloud/types.ts';

/** What CloudClient.read makes of an already parsed page: its records through the reader. */
export function readParsedPage<R>(page: ApiPage, createReader: () => RecordReader<R>): ReadPage<R> {
	const {data, ...meta} = page;
	const reader = createReader();
	if (data.length > 0) {
		reader.add(data);
	}
	return {...meta, records: data.length, result: reader.finish()};
}
