// `loupe assert`: its arguments, the expectations file and finding the engine — the parts that answer
// without an engine. The command against a real `loupe serve` is in e2e/assert-command.test.ts.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { assertCommand, locateEngine, parseAssertArgs, parseDuration, readExpectationsFile, UsageError } from './assert-command'
import { useTempDirs } from './engine/test-temp-dirs'

const tempDir = useTempDirs('loupe-assert-')

function file(name: string, text: string): string {
  const path = join(tempDir(), name)
  writeFileSync(path, text)
  return path
}

function sink(): { stream: Writable; text(): string } {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    }
  })
  return { stream, text: () => text }
}

describe('parseAssertArgs', () => {
  it('reads the file, the engine and the overrides', () => {
    expect(parseAssertArgs(['e.yaml', '--url', 'http://127.0.0.1:4100', '--token', 't0k', '--run', 'run_1', '--timeout', '30s'], {})).toEqual({
      file: 'e.yaml',
      url: 'http://127.0.0.1:4100',
      token: 't0k',
      dataDir: undefined,
      run: 'run_1',
      timeoutMs: 30_000
    })
    expect(parseAssertArgs(['--data-dir', '/d', 'e.json'], {})).toMatchObject({ file: 'e.json', dataDir: '/d', url: undefined, timeoutMs: undefined })
  })

  it('falls back to LOUPE_URL, LOUPE_TOKEN and LOUPE_DATA_DIR; flags win', () => {
    const env = { LOUPE_URL: 'http://127.0.0.1:1', LOUPE_TOKEN: 'env-token', LOUPE_DATA_DIR: '/env-dir' }
    expect(parseAssertArgs(['e.yaml'], env)).toMatchObject({ url: 'http://127.0.0.1:1', token: 'env-token', dataDir: '/env-dir' })
    expect(parseAssertArgs(['e.yaml', '--token', 'flag'], env)).toMatchObject({ token: 'flag' })
  })

  it('says what is wrong with bad usage', () => {
    const usage = (args: string[]): string => {
      try {
        parseAssertArgs(args, {})
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError)
        return (error as Error).message
      }
      throw new Error('no error')
    }
    expect(usage([])).toContain('name the expectations file')
    expect(usage(['a.yaml', 'b.yaml'])).toContain('unexpected argument "b.yaml"')
    expect(usage(['a.yaml', '--frobnicate'])).toBe('unknown option --frobnicate')
    expect(usage(['a.yaml', '--run'])).toBe('--run needs a value')
    expect(usage(['a.yaml', '--url', 'localhost:4100'])).toContain('--url must be an http(s) URL')
    expect(usage(['a.yaml', '--timeout', 'soon'])).toContain('--timeout must be a time like 30s')
    expect(usage(['a.yaml', '--timeout', '10m'])).toContain('--timeout is longer than the engine waits at most (300s)')
  })
})

describe('parseDuration', () => {
  it('reads seconds, minutes, milliseconds and plain numbers', () => {
    expect(parseDuration('30s', 't')).toBe(30_000)
    expect(parseDuration('2m', 't')).toBe(120_000)
    expect(parseDuration('1.5s', 't')).toBe(1500)
    expect(parseDuration('250ms', 't')).toBe(250)
    expect(parseDuration('750', 't')).toBe(750)
    expect(parseDuration(4000, 't')).toBe(4000)
    expect(() => parseDuration(-1, 't')).toThrow(UsageError)
    expect(parseDuration('1h', 't')).toBe(3_600_000)
    expect(() => parseDuration('soon', 't')).toThrow('t must be a time like 30s')
  })
})

describe('readExpectationsFile', () => {
  it('reads YAML and JSON', () => {
    const yaml = file(
      'e.yaml',
      [
        'run: run_abc',
        'timeout: 10s',
        'expect:',
        '  - name: checkout',
        '    match:',
        '      type: track',
        '      event: Order Completed',
        '      where:',
        '        - { path: properties.total, equals: 10 }',
        '    count: 1',
        ''
      ].join('\n')
    )
    expect(readExpectationsFile(yaml)).toEqual({
      run: 'run_abc',
      timeout: '10s',
      expect: [{ name: 'checkout', match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, count: 1 }]
    })
    const json = file('e.json', JSON.stringify({ expect: [{ match: { event: 'Signed Up' }, count: { min: 1 } }] }))
    expect(readExpectationsFile(json)).toEqual({ expect: [{ match: { event: 'Signed Up' }, count: { min: 1 } }] })
  })

  it('takes a bare list as the expectations', () => {
    expect(readExpectationsFile(file('e.yml', '- match: { event: A }\n- match: { event: B }\n'))).toEqual({ expect: [{ match: { event: 'A' } }, { match: { event: 'B' } }] })
  })

  it('names the file and the part that is wrong', () => {
    expect(() => readExpectationsFile(join(tempDir(), 'missing.yaml'))).toThrow(/missing\.yaml: no such file/)
    expect(() => readExpectationsFile(file('bad.json', '{"expect": ['))).toThrow(/bad\.json: not valid JSON/)
    expect(() => readExpectationsFile(file('bad.yaml', 'expect: [\n'))).toThrow(/bad\.yaml: not valid YAML/)
    expect(() => readExpectationsFile(file('none.yaml', 'run: x\n'))).toThrow('"expect" must be a list')
    expect(() => readExpectationsFile(file('empty.yaml', 'expect: []\n'))).toThrow('nothing to check')
    expect(() => readExpectationsFile(file('nomatch.yaml', 'expect:\n  - name: x\n'))).toThrow('expect[0].match must be an object')
    expect(() => readExpectationsFile(file('run.yaml', 'run: 3\nexpect:\n  - match: {}\n'))).toThrow('"run" must be a run id')
  })
})

describe('locateEngine', () => {
  it('reads the URL from the lock file and the token from the data dir', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'loupe.lock'), JSON.stringify({ pid: 1, startedAt: '', url: 'http://127.0.0.1:4555' }))
    writeFileSync(join(dir, 'admin-token'), 'tok_from_file\n')
    expect(locateEngine({ dataDir: dir })).toEqual({ url: 'http://127.0.0.1:4555', token: 'tok_from_file' })
    expect(locateEngine({ dataDir: dir, url: 'http://127.0.0.1:9/', token: 'explicit' })).toEqual({ url: 'http://127.0.0.1:9', token: 'explicit' })
  })

  it('says when no engine runs on the data dir', () => {
    const dir = tempDir()
    expect(() => locateEngine({ dataDir: dir })).toThrow(/no running Loupe found: .*loupe\.lock does not exist/)
    expect(() => locateEngine({ dataDir: dir, url: 'http://127.0.0.1:9' })).toThrow(/no admin token/)
  })
})

describe('assertCommand', () => {
  it('exits 2 with a clear message on usage, file and connection errors', async () => {
    const run = async (args: string[]): Promise<[number, string]> => {
      const out = sink()
      const err = sink()
      const code = await assertCommand(args, out.stream, err.stream)
      return [code, err.text()]
    }
    const [noFile, noFileText] = await run([])
    expect(noFile).toBe(2)
    expect(noFileText).toContain('loupe assert: name the expectations file')

    const expectations = file('e.yaml', 'expect:\n  - match: { event: A }\n')
    // port 9 (discard): nothing listens on it on a test machine, and a bound-then-closed port could be reused
    const [refused, refusedText] = await run([expectations, '--url', 'http://127.0.0.1:9', '--token', 't'])
    expect(refused).toBe(2)
    expect(refusedText).toContain('Could not reach Loupe at http://127.0.0.1:9')

    const help = sink()
    expect(await assertCommand(['--help'], help.stream, sink().stream)).toBe(0)
    expect(help.text()).toContain('--timeout <time>')
  })
})
