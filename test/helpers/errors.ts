/**
 * The one way tests check a refusal: the code under test fails with a ModelHubError (anything
 * else, or success, fails the test) whose code, file, message and hint are as expected.
 */
import { expect } from 'vitest';
import { ModelHubError, type ErrorCode } from '../../core/errors.js';
import { readModelHeader } from '../../formats/read.js';

export interface ExpectedError {
  code?: ErrorCode;
  /** The file the error is about: its `path`, named in its message too. */
  path?: string;
  /** A substring or pattern of the message. */
  message?: string | RegExp;
  hint?: string | RegExp;
}

/**
 * Await `action` (a promise, or a function that throws or rejects), require a ModelHubError
 * matching `expected`, and return it for further checks. `what` labels the failure.
 */
export async function expectError(action: Promise<unknown> | (() => unknown), expected: ExpectedError = {}, what = 'the call'): Promise<ModelHubError> {
  let err: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (e) {
    err = e;
  }
  expect(err, `${what} did not fail with a ModelHubError`).toBeInstanceOf(ModelHubError);
  const e = err as ModelHubError;
  if (expected.code !== undefined) expect(e.code, e.message).toBe(expected.code);
  if (expected.path !== undefined) {
    expect(e.path, e.message).toBe(expected.path);
    expect(e.message).toContain(expected.path);
  }
  if (expected.message !== undefined) expectText(e.message, expected.message);
  if (expected.hint !== undefined) expectText(e.hint ?? '', expected.hint);
  return e;
}

function expectText(text: string, want: string | RegExp): void {
  if (typeof want === 'string') expect(text).toContain(want);
  else expect(text).toMatch(want);
}

/** The ModelHubError that reading `path`'s model header fails with: `code`, naming `path`, its message matching `message`. */
export async function expectReadError(path: string, code: ErrorCode, message?: RegExp): Promise<ModelHubError> {
  return expectError(readModelHeader(path), { code, path, ...(message === undefined ? {} : { message }) }, `reading ${path}`);
}
