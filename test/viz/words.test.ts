import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArchitectureSvg, drawArchitecture } from '../../packages/viz/src/architecture';
import { noAnimation } from '../../packages/viz/src/draw-common';
import { container, installDom } from './dom-setup';

// What a class cannot open: section marks of documents outside the repository.
const internalReference = /§|eks-facts|DESIGN|\bseed ?§|SUMMARY\.md/;

beforeAll(() => {
  installDom();
});

describe('words for a class: nothing the page shows cites a document the class cannot open', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`scenario ${name}: title, summary and every lesson step`, () => {
      const texts = [
        scenario.title,
        scenario.summary ?? '',
        scenario.lesson?.title ?? '',
        ...(scenario.lesson?.steps ?? []).flatMap((s) => [s.title, s.text]),
      ];
      for (const text of texts) expect(text).not.toMatch(internalReference);
    });

    it(`scenario ${name}: every word in the picture, after an hour`, () => {
      const sim = createSimulation(scenario);
      sim.advance(3_600_000);
      const svg = createArchitectureSvg(container());
      drawArchitecture(svg, sim.snapshot(), noAnimation);
      expect(svg.textContent).not.toMatch(internalReference);
    });
  }
});
