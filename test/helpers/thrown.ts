/**
 * The error a call throws or a promise rejects with, checked to be of the
 * expected class so that a test can go on to assert its fields. Succeeding,
 * or failing with anything else, fails the test.
 */
import { expect } from 'vitest';

type ErrorClass<E> = abstract new (...args: never[]) => E;

export function thrown<E>(type: ErrorClass<E>, fn: () => unknown): E {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${type.name}`).toBeInstanceOf(type);
  return error as E;
}

export async function rejection<E>(type: ErrorClass<E>, promise: Promise<unknown>): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected a rejection with a ${type.name}`).toBeInstanceOf(type);
  return error as E;
}
