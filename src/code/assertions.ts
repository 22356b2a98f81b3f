/**
 * Test assertions: what a test hands to the code under test, or expects back from it, is data, not a connection the
 * test makes. `expect(isDatabaseUrl("postgresql://user:pw@node1:5432/db")).toBe(true)`, `assert parse_dsn("…")`,
 * `assertEquals("redis://…", config.url())` hold addresses only as inputs and answers (LABELLING: fixture data fed to
 * the code under test is not a connection). A client built inside a test's own setup is not in an assertion and is
 * read as before.
 */
import { namesTestDouble, sendsRequest } from '../catalog/index.js';
import type { SyntaxNode } from './parsers.js';

/** Callees that assert, by language: Jest/Vitest/Chai/Node `expect`/`assert`, unittest and pytest, JUnit/AssertJ/Hamcrest, Minitest and RSpec, PHPUnit and Pest. */
const ASSERTING_CALLEE: Record<'javascript' | 'python' | 'java' | 'ruby' | 'php', RegExp> = {
  javascript: /^(?:expect|assert|chai\.expect|chai\.assert)\b/,
  // unittest.mock's assertions on a mock (`mock_get.assert_any_call(url)`, `assert_called_once_with`, `assert_has_calls`,
  // `assert_awaited_with`): what the code under test was expected to call, the call itself mocked.
  python: /^(?:self\.)?(?:assert[A-Z_]\w*|assert_\w+)$|^[\w.]+\.assert_(?:called|any_call|has_calls|awaited|any_await|has_awaits|not_called|not_awaited)\w*$|^pytest\.raises$/,
  java: /^(?:Assertions\.|Assert\.)?(?:assert[A-Z]\w*|assertThat|assertThrows)$/,
  // Minitest's `assert_*`/`refute_*`, RSpec's `expect(…)`.
  ruby: /^(?:assert|assert_\w+|refute|refute_\w+|expect)$/,
  // PHPUnit's `$this->assertSame(…)`, Pest's `expect(…)`.
  php: /^(?:assert[A-Z]\w*|expect)$/,
};

/** The longest callee an assertion is written with (`chai.expect`, `self.assertEqual`), with room for line breaks. */
const CALLEE_PREFIX = 200;

/** How deep to look for an enclosing assertion: tests nest a few calls, never hundreds. */
const MAX_DEPTH = 24;

function calleeText(node: SyntaxNode, language: keyof typeof ASSERTING_CALLEE): string | null {
  if (language === 'java') return node.type === 'method_invocation' ? node.childForFieldName('name')?.text ?? null : null;
  if (language === 'php') return node.type === 'member_call_expression' || node.type === 'scoped_call_expression' ? node.childForFieldName('name')?.text ?? null : node.type === 'function_call_expression' ? node.childForFieldName('function')?.text ?? null : null;
  if (language === 'ruby') return node.type === 'call' && node.childForFieldName('receiver') === null ? node.childForFieldName('method')?.text ?? null : null;
  if (node.type !== 'call_expression' && node.type !== 'call') return null;
  // The callee of a call in a long chain (`a(…).then(…).then(…)`, a bundle) is most of the file, asked again at every
  // level up: only its start can name an assertion, so only the start is read.
  const text = node.childForFieldName('function')?.text;
  return text === undefined ? null : text.slice(0, CALLEE_PREFIX).replace(/\s+/g, '');
}

/** Whether the node is inside an assertion's arguments (or a Python `assert` statement). */
function insideAssertion(node: SyntaxNode, language: keyof typeof ASSERTING_CALLEE): boolean {
  let current: SyntaxNode | null = node;
  for (let depth = 0; current && depth < MAX_DEPTH; depth++, current = current.parent) {
    if (language === 'python' && current.type === 'assert_statement') return true;
    const callee = calleeText(current, language);
    if (callee !== null && ASSERTING_CALLEE[language].test(callee)) return true;
  }
  return false;
}

/**
 * A call that is data for the code under test: inside an assertion, and not itself a request the test sends
 * (`expect(await fetch(url)).toBeOk()`, `assert requests.get(url).ok` are the test's own connections).
 */
export function isAssertedData(call: SyntaxNode, callee: string, language: keyof typeof ASSERTING_CALLEE): boolean {
  // A test double's matcher (`expect(a_request(:post, url))`, WebMock) is named like a request but sends none.
  return (namesTestDouble(callee) || !sendsRequest(callee, { builders: false })) && insideAssertion(call, language);
}
