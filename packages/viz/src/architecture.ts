/**
 * The architecture view: one SVG, its layers drawn in order (frames, AZs, NLB nodes, API
 * servers, etcd, customer VPC, paths on top, legend), each by its own module.
 */
import { select } from 'd3';
import { drawApiServers, drawAzColumns } from './draw-az';
import { boundedText, type DrawOptions, type Layer } from './draw-common';
import { drawCustomerVpc, drawHostBoxes } from './draw-customer-vpc';
import { drawEtcd, quorumLine } from './draw-etcd';
import { drawNlbs } from './draw-nlb';
import { drawPaths } from './draw-paths';
import { drawRegion } from './draw-region';
import { fonts, layoutArchitecture, VIEW_HEIGHT, VIEW_WIDTH } from './layout';
import { drawLegend } from './legend';
import { colours } from './palette';
import { fitTexts } from './text-fit';
import { architectureView, type SnapshotParts } from './view';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Makes the SVG (once) inside `container` with its shared definitions. */
export function createArchitectureSvg(container: Element): SVGSVGElement {
  const existing = container.querySelector<SVGSVGElement>('svg.architecture');
  if (existing) return existing;
  const svg = container.ownerDocument.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'architecture');
  svg.setAttribute('viewBox', `0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Architecture of the simulated EKS cluster');
  svg.innerHTML =
    '<defs><pattern id="hatch-failed" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    `<rect width="8" height="8" fill="#e0e0e0"/><line x1="0" y1="0" x2="0" y2="8" stroke="${colours.failed}" stroke-width="3"/>` +
    '</pattern></defs><g class="root"></g>';
  container.appendChild(svg);
  return svg;
}

/** Draws (or redraws, with transitions) the whole picture from a snapshot. */
export function drawArchitecture(svg: SVGSVGElement, snapshot: SnapshotParts, options: DrawOptions): void {
  const view = architectureView(snapshot);
  const layout = layoutArchitecture(view);
  const root = select(svg).select<SVGGElement>('g.root') as unknown as Layer;
  // Containers first, then the paths, then the boxes over the paths' ends, then the legend.
  drawRegion(root, view, layout, options);
  drawAzColumns(root, view, layout, options);
  drawCustomerVpc(root, view, layout, options);
  drawPaths(root, view, layout, options);
  drawNlbs(root, view, layout, options);
  drawApiServers(root, view, layout, options);
  drawEtcd(root, view, layout, options);
  drawHostBoxes(root, view, layout, options);
  drawLegend(root, layout);
  const quorum = layout.quorumLine;
  boundedText(
    root
      .selectAll<SVGTextElement, string>('text.quorum')
      .data([quorumLine(view)])
      .join('text')
      .attr('class', 'quorum')
      .attr('data-kind', 'quorum')
      .attr('data-id', 'etcd')
      .attr('data-state', (d) => d)
      .attr('x', quorum.x + quorum.w)
      .attr('y', quorum.y + quorum.h - 6)
      .attr('text-anchor', 'end'),
    fonts.boxTitle,
    (d) => d,
    () => quorum.w,
  );
  // No control plane: said in the quorum line's row, which nothing else uses then.
  const empty = !view.apiServers.length && !view.etcd.length;
  boundedText(
    root
      .selectAll<SVGTextElement, number>('text.empty-control-plane')
      .data(empty ? [0] : [])
      .join('text')
      .attr('class', 'empty-control-plane')
      .attr('x', quorum.x + quorum.w / 2)
      .attr('y', quorum.y + quorum.h - 6)
      .attr('text-anchor', 'middle'),
    fonts.boxTitle,
    () => 'No control plane yet (no cluster, or still CREATING)',
    () => quorum.w,
  );
  fitTexts(svg);
}
