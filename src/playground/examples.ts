// The example programs the playground offers: the list in `<base>/index.json`, checked on arrival
// so that a malformed entry is reported by position and field instead of breaking the page later.
import * as v from 'valibot';
import { VOLUME_NAME } from '../host/volumes/store.js';

const ExampleSchema = v.object({
  name: v.pipe(v.string('expected a string'), v.minLength(1, 'expected a non-empty name')),
  file: v.pipe(v.string('expected a string'), v.minLength(1, 'expected a file name')),
  description: v.optional(v.string('expected a string'), ''),
  args: v.optional(v.array(v.string('expected a string'), 'expected an array of strings'), []),
  stdin: v.optional(v.string('expected a string'), ''),
  /** Reads what is typed in the terminal (a live stdin) when its stdin is left empty: Enter sends each line, Ctrl-D ends the input. */
  interactive: v.optional(v.boolean('expected true or false'), false),
  /** A persistent volume mounted for its runs, shown beside the report: `name` (the playground may prefix it) at the guest directory `guest`. */
  volume: v.optional(
    v.object({
      name: v.pipe(v.string('expected a string'), v.regex(VOLUME_NAME, 'expected a volume name (1 to 64 letters, digits, . _ -)')),
      guest: v.pipe(v.string('expected a string'), v.startsWith('/', 'expected an absolute guest path')),
    }),
  ),
});

const IndexSchema = v.array(ExampleSchema, 'expected an array of examples');

export type Example = v.InferOutput<typeof ExampleSchema>;

/** The URL of `file` in the programs directory `base`, which is relative to the page. */
export function programUrl(base: string, file: string): string {
  return new URL(file, new URL(base.endsWith('/') ? base : `${base}/`, document.baseURI)).href;
}

/** Fetches and checks the example list; throws an Error whose message says what went wrong. */
export async function loadExamples(base: string): Promise<Example[]> {
  const url = programUrl(base, 'index.json');
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`${url} could not be fetched: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok) throw new Error(`${url} could not be fetched: ${response.status} ${response.statusText}`.trim());
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new Error(`${url} is not JSON`);
  }
  const result = v.safeParse(IndexSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const where = v.getDotPath(issue);
    throw new Error(`${url}: ${where ? `${where}: ` : ''}${issue.message}`);
  }
  return result.output;
}
