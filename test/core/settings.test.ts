import { describe, expect, it } from 'vitest';
import { effectiveVotes, jamPollHours } from '../../src/core/settings.ts';

describe('effectiveVotes', () => {
	it('GIVEN no vote setting THEN new songs get a one-hour poll', () => {
		expect(effectiveVotes({})).toEqual({ enabled: true, hours: 1 });
	});

	it('GIVEN an admin turned polls off or chose a duration THEN that holds', () => {
		expect(effectiveVotes({ votes: { enabled: false } })).toEqual({ enabled: false, hours: 1 });
		expect(effectiveVotes({ votes: { hours: 48 } })).toEqual({ enabled: true, hours: 48 });
	});

	it('GIVEN a duration Discord would refuse (stored by hand or by an older version) THEN the default is used', () => {
		expect(effectiveVotes({ votes: { hours: 0 } }).hours).toBe(1);
		expect(effectiveVotes({ votes: { hours: 769 } }).hours).toBe(1);
		expect(effectiveVotes({ votes: { hours: 1.5 } }).hours).toBe(1);
	});
});

describe('jamPollHours', () => {
	it('GIVEN no setting THEN a jam’s style poll lasts an hour; GIVEN one THEN it holds, within what Discord allows', () => {
		expect(jamPollHours({})).toBe(1);
		expect(jamPollHours({ votes: { jamHours: 72 } })).toBe(72);
		expect(jamPollHours({ votes: { jamHours: 768 } })).toBe(768);
		// The take polls' setting is another one.
		expect(jamPollHours({ votes: { hours: 48 } })).toBe(1);
		expect(jamPollHours({ votes: { jamHours: 769 } })).toBe(1);
		expect(jamPollHours({ votes: { jamHours: 0 } })).toBe(1);
	});
});
