/** Reading an import file on a worker thread: all rows come back; a read over its time is stopped and refused. */
import { parseImportFileInThread } from '../../api/services/parse-in-thread';
import { WholeFileError } from '../../domain/import-file';
import { csvFile, validRows } from '../support/import-files';

it('returns every row of the file, in order', async () => {
  const parsed = await parseImportFileInThread(csvFile(validRows(2500, 'thread')), { contentType: 'text/csv' });
  expect(parsed.format).toBe('csv');
  expect(parsed.rows.map((r) => [r.line, r.status])).toEqual(Array.from({ length: 2500 }, (_, k) => [k + 2, 'valid']));
});

it('stops a read that takes longer than allowed and refuses the file with what to do', async () => {
  const read = parseImportFileInThread(csvFile(validRows(2500, 'slow')), { contentType: 'text/csv' }, 1);
  await expect(read).rejects.toBeInstanceOf(WholeFileError);
  await expect(read).rejects.toThrow('仍未完成，已停止；请检查文件内容，或拆分为较小的文件后重新上传');
});
