// Writes schema.d.ts: a TypeScript type for every schema of the server's
// OpenAPI document (components.schemas), so the package's types follow the
// contract. Usage:
//   node scripts/generate-schema-types.mjs http://127.0.0.1:8080 [--check]
// --check compares with the file on disk and exits 1 when it is stale.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema.d.ts')

function name (ref) {
  return ref.slice(ref.lastIndexOf('/') + 1)
}

function literal (value) {
  return JSON.stringify(value)
}

// One JSON Schema (2020-12, as the document uses) as a TypeScript type.
function typeOf (schema, indent) {
  if (schema === true || schema === undefined || schema === null) return 'unknown'
  if (schema.$ref) return name(schema.$ref)
  if (schema.const !== undefined) return literal(schema.const)
  if (schema.enum) return schema.enum.map(literal).join(' | ')
  const union = schema.anyOf ?? schema.oneOf
  if (union) return union.map((s) => typeOf(s, indent)).join(' | ')
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []
  if (types.length > 1) return types.map((t) => typeOf({ ...schema, type: t }, indent)).join(' | ')
  switch (types[0]) {
    case 'null': return 'null'
    case 'boolean': return 'boolean'
    case 'integer': case 'number': return 'number'
    case 'string': return 'string'
    case 'array': return `Array<${typeOf(schema.items, indent)}>`
    case 'object': return objectType(schema, indent)
    default: return schema.properties ? objectType(schema, indent) : 'unknown'
  }
}

function objectType (schema, indent) {
  const properties = Object.entries(schema.properties ?? {})
  if (properties.length === 0) {
    const extra = schema.additionalProperties
    return extra && extra !== true ? `Record<string, ${typeOf(extra, indent)}>` : 'Record<string, unknown>'
  }
  const required = new Set(schema.required ?? [])
  const inner = indent + '  '
  const lines = properties.map(([key, value]) => {
    const doc = value.description ? `${inner}/** ${value.description.replace(/\*\//g, '* /')} */\n` : ''
    const optional = required.has(key) ? '' : '?'
    return `${doc}${inner}${JSON.stringify(key)}${optional}: ${typeOf(value, inner)}`
  })
  return `{\n${lines.join('\n')}\n${indent}}`
}

export function render (document) {
  const schemas = Object.entries(document.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b))
  const parts = [
    '// Generated from the server\'s /v1/openapi.json by scripts/generate-schema-types.mjs.',
    `// API version ${document.info.version}. Do not edit: regenerate.`,
    ''
  ]
  for (const [key, schema] of schemas) {
    if (schema.description) parts.push(`/** ${schema.description.replace(/\*\//g, '* /')} */`)
    parts.push(`export type ${key} = ${typeOf(schema, '')}`, '')
  }
  return parts.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = process.argv[2] ?? process.env.FINVEX_BASE_URL
  if (!base) throw new Error('usage: node scripts/generate-schema-types.mjs BASE_URL [--check]')
  const document = await (await fetch(`${base.replace(/\/$/, '')}/v1/openapi.json`)).json()
  const text = render(document)
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : ''
    if (current !== text) {
      console.error('schema.d.ts is stale: run node scripts/generate-schema-types.mjs BASE_URL')
      process.exit(1)
    }
    console.log(`schema.d.ts is current (${Object.keys(document.components.schemas).length} schemas)`)
  } else {
    fs.writeFileSync(OUT, text)
    console.log(`wrote ${OUT}`)
  }
}
