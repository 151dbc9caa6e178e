// loupe/testing: assert on the analytics events an app sent, from any Node test runner.

export { createLoupe, LoupeApiError, LoupeAssertionError } from './client.js'
export type { LoupeClient, LoupeConnection, LoupeRun, WaitOptions } from './client.js'
export { startLoupe } from './start.js'
export type { StartedLoupe, StartLoupeOptions } from './start.js'
export { formatAssertResult } from './report.js'
export type { EventRecord } from '../src-shared/api.js'
export type {
  AssertResult,
  CountExpectation,
  EventMatcher,
  ExpectationsFile,
  ExpectationsResult,
  FieldCondition,
  NearMiss,
  SegmentCallType,
  TestRun
} from '../src-shared/qa.js'
