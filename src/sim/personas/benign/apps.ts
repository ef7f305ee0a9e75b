/**
 * @module sim/personas/benign/apps
 * Application backends with one fixed shape: RAG apps (template + retrieved passages),
 * enterprise batch jobs (long documents, short outputs, nightly) and multimodal document apps.
 */
import { populationClient, pythonSdk } from '../../clients.js';
import { corporateIps } from '../../net.js';
import { document, knowledgeBase, lexicon } from '../../prompts/documents.js';
import { fill } from '../../prompts/fill.js';
import { rhythmSchedule, sessionSchedule } from '../../time.js';
import type { KeyPlan } from '../../types.js';
import {
  chatRequest,
  keyPlan,
  mintOrg,
  mintUser,
  type PersonaContext,
  volume,
  withSystem,
} from '../common.js';
import { days, rhythm } from './shared.js';
export function ragApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`rag_app:${o}`);
    const org = mintOrg(rng);
    const product = fill(rng, '{product}');
    const kb = knowledgeBase(rng, product, rng.int(30, 150));
    const template = rng.pick([
      'Answer the question using only the context below. If the answer is not there, say so.\n\nContext:\n{ctx}\n\nQuestion: {q}',
      'Use the following documentation excerpts to help the customer.\n---\n{ctx}\n---\nCustomer question: {q}\nAnswer:',
      '### Sources\n{ctx}\n### Task\nAnswer with citations like [doc N].\n### Question\n{q}',
    ]);
    const system = rng.chance(0.7)
      ? `You are the support assistant for ${product}. Be accurate and cite sources.`
      : null;
    const users = Array.from({ length: rng.int(20, 400) }, () => mintUser(rng));
    const r = rhythm(rng, rng.chance(0.5) ? 'office' : 'consumer', 0.5);
    const schedule = rhythmSchedule(rng, ctx.start, ctx.end, r, volume(rng, 14 * days(ctx), 1.1, 5, 3000));
    const model = rng.pick(ctx.models.chat);
    const questions = [
      'How do I {reset my password|export my data|cancel my plan|add a teammate|change my invoice address}?',
      'Does it support {SSO|CSV export|offline mode|two-factor login}?',
      'Why was I charged {twice|more than usual} in {month}?',
      'What is the limit on {API requests|members|storage}?',
    ];
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'rag_app', attack: false, campaign: null },
        client: populationClient(rng),
        ips: ctx.cloud.egress(rng, rng.int(1, 3)),
        schedule,
        make: (_i, g) => {
          // Retrieval favours a few popular passages of the org's own knowledge base.
          const passages = Array.from(
            { length: g.int(2, 5) },
            () => kb[Math.floor(kb.length * g.next() ** 2)]!,
          );
          const content = fill(g, template, { ctx: passages.join('\n\n'), q: fill(g, g.pick(questions)) });
          return chatRequest(g, {
            model,
            messages: withSystem(system, [{ role: 'user', content }]),
            maxTokens: 600,
            temperature: 0.2,
            user: g.pick(users),
            answer: { median: 160, sigma: 0.5 },
          });
        },
      }),
    );
  }
  return plans;
}

/** Enterprise batch: long documents, short outputs, nightly bulk, one instruction repeated. */
export function enterpriseBatch(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`enterprise_batch:${o}`);
    const org = mintOrg(rng);
    const instruction = fill(
      rng,
      rng.pick([
        'Summarize the document below in {2-4} sentences for the {dept} team.',
        'Classify the document below into one of: invoice, contract, report, correspondence, other. Reply with the label only.',
        'Extract the counterparty, effective date and total amount as JSON.',
        'List the risks mentioned in this document, one per line.',
      ]),
    );
    const lex = lexicon(rng);
    const r = rhythm(rng, 'night', 0.6);
    const nights = Math.max(1, Math.round(days(ctx) * rng.float(0.3, 0.8)));
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, r, {
      sessions: nights,
      meanTurns: volume(rng, 60, 0.9, 20, 1500),
      fixedTurns: true,
      turnGapMs: rng.float(1, 6) * 1000,
    });
    const model = rng.pick(ctx.models.chat);
    // Constrained classification: label tokens boosted with logit_bias, confidence from logprobs.
    const constrained = instruction.startsWith('Classify') && rng.chance(0.6);
    const labelBias: Record<string, number> = {};
    for (let k = rng.int(5, 12); k > 0; k--) labelBias[String(rng.int(1000, 90_000))] = 100;
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'enterprise_batch', attack: false, campaign: null },
        client: rng.chance(0.5) ? pythonSdk(rng, undefined, true) : populationClient(rng),
        ips: corporateIps(rng).slice(0, 1),
        schedule,
        make: (_i, g) =>
          chatRequest(g, {
            model,
            messages: [{ role: 'user', content: `${instruction}\n\n${document(g, g.int(2000, 8000), lex)}` }],
            maxTokens: constrained ? 2 : g.pick([256, 300, 512]),
            temperature: 0,
            extra: constrained
              ? { logit_bias: labelBias, logprobs: true, top_logprobs: 5 }
              : instruction.includes('JSON')
                ? { response_format: { type: 'json_object' } }
                : undefined,
            answer: constrained ? { median: 2, sigma: 0.1 } : { median: 70, sigma: 0.5 },
          }),
      }),
    );
  }
  return plans;
}

/** Eval harnesses: public-benchmark-style questions in bulk runs, several models, temperature 0. */
export function multimodalDocs(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`multimodal_docs:${o}`);
    const org = mintOrg(rng);
    const host = `files.${rng.id('', 8)}.com`;
    const ask = fill(
      rng,
      rng.pick([
        'Extract the fields of this {chart} as JSON.',
        'What are the totals in this {chart}?',
        'Read this {chart} and list every line item.',
        'Describe the trend shown in this {chart} in one sentence.',
      ]),
    );
    const schedule = rhythmSchedule(
      rng,
      ctx.start,
      ctx.end,
      rhythm(rng, 'office', 0.2),
      volume(rng, 14 * days(ctx), 1.1, 5, 3000),
    );
    const model = rng.pick(ctx.models.vision);
    const users = Array.from({ length: rng.int(5, 80) }, () => mintUser(rng));
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'multimodal_docs', attack: false, campaign: null },
        client: populationClient(rng),
        ips: ctx.cloud.egress(rng, 2),
        schedule,
        make: (_i, g) => {
          const images = g.chance(0.8) ? 1 : g.int(2, 4);
          const parts: unknown[] = [{ type: 'text', text: ask }];
          for (let k = 0; k < images; k++)
            parts.push({ type: 'image_url', image_url: { url: `https://${host}/u/${g.hex(16)}.png` } });
          return chatRequest(g, {
            model,
            messages: [{ role: 'user', content: parts }],
            maxTokens: 800,
            user: g.pick(users),
            extra: { response_format: { type: 'json_object' } },
            answer: { median: 150, sigma: 0.6 },
          });
        },
      }),
    );
  }
  return plans;
}
