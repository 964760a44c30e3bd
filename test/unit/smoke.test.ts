import { describe, expect, it } from '@jest/globals';
import { Agenda } from 'agenda';
import mongoose from 'mongoose';
import { App } from '@slack/bolt';

describe('toolchain', () => {
  it('loads agenda, mongoose and bolt together in ESM mode', () => {
    expect(typeof Agenda).toBe('function');
    expect(typeof mongoose.connect).toBe('function');
    expect(typeof App).toBe('function');
  });
});
