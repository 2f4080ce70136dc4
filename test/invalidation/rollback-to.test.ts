import { expect } from 'chai';
import { looksLikeTime } from '../../scripts/invalidation/rollback';

describe('rollback --to: times that are not ISO are refused before S3 is called', () => {
  for (const t of ['yesterday', 'now', 'Today', 'last week', '2 hours ago', '90m', '3d', '2025-06-01', '06/01/2025', '1.6.2025', 'june 1']) {
    it(`'${t}' reads as a time`, () => expect(looksLikeTime(t)).to.equal(true));
  }
  for (const v of ['null', 'v2', 'nope', '3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo', 'Gv3Z.Ujp_6F2t9wE']) {
    it(`'${v}' may be a version id`, () => expect(looksLikeTime(v)).to.equal(false));
  }
});
