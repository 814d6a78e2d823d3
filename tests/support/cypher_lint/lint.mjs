// Lint Cypher with Neo4j's own parser and semantic analysis (Neo4j 5 Cypher).
//
// Protocol: one JSON object per line on stdin, {"query": "...", "parameters": {...}},
// one JSON line per request on stdout, {"diagnostics": [{severity, message, line,
// column, offset}]} (line and column 1-based), or {"error": "..."} for a bad request.
// Without "parameters", notices about undefined parameters are dropped, since the
// queries are always run with their parameters supplied; with it, the parameters are
// declared to the linter and an undefined one is a real diagnostic.
import { createInterface } from 'node:readline';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function lint(request) {
  const declared = request.parameters !== undefined;
  const schema = declared ? { parameters: request.parameters } : {};
  const { diagnostics } = lintCypherQuery(request.query, schema);
  return diagnostics
    .filter((diagnostic) => declared || isNotParamError(diagnostic))
    .map((diagnostic) => ({
      severity: SEVERITY[diagnostic.severity] ?? String(diagnostic.severity),
      message: diagnostic.message,
      line: diagnostic.range.start.line + 1,
      column: diagnostic.range.start.character + 1,
      offset: diagnostic.offsets.start,
    }));
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const request = JSON.parse(line);
    if (typeof request.query !== 'string') throw new Error('"query" must be a string');
    answer = { diagnostics: lint(request) };
  } catch (error) {
    answer = { error: String(error?.message ?? error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
