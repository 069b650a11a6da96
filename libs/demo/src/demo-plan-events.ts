/**
 * The plan turned into ledger events, each placed on the day it is recorded: the learners'
 * surveys, contracts, fundings, admissions, path ends, declarations and retractions, then
 * the outreach campaigns. Recording lags follow the back offices; nothing planned before
 * publication is recorded after it unless it is a correction.
 */
import type { LedgerEvent } from '@ledger/events';
import { LearnerIds } from './demo-ids';
import { forcedByMonth, freeUserGender, surveyMotivations } from './demo-plan-activity-months';
import { emitCampaigns } from './demo-plan-campaigns';
import type { PlanContext } from './demo-plan-context';
import { emitMission } from './demo-plan-mission';
import { LAST_DAY_BEFORE_PUBLICATION } from './demo-plan-context';
import { planDuplicates } from './demo-plan-corrections';
import type { DemoPlan, TimedEvent } from './demo-plan-model';
import { DAY, PARIS, T0, countryIndex, dayIndex, formatInstant, zoneOfCountry } from './demo-time';

export function emitPlan(ctx: PlanContext): DemoPlan {
  const eventsByDay = new Map<number, TimedEvent[]>();
  const retractedAfterPublication: string[] = [];
  const recordedAfterPublication: string[] = [];
  const ids = new LearnerIds(ctx.seed);
  const add = (day: number, ms: number, event: LedgerEvent) => {
    const recordDay = ms < T0 ? -1 : day;
    if (recordDay < dayIndex(ms)) throw new Error('demo plan: an event recorded before it occurred');
    let list = eventsByDay.get(recordDay);
    if (!list) {
      list = [];
      eventsByDay.set(recordDay, list);
    }
    list.push({ ms, event });
    if (recordDay > LAST_DAY_BEFORE_PUBLICATION) recordedAfterPublication.push(event.eventId);
  };
  const onTime = (ms: number, lagDays = 0) => Math.min(Math.max(dayIndex(ms), -1) + lagDays, Math.max(dayIndex(ms), LAST_DAY_BEFORE_PUBLICATION));

  for (const learner of ctx.learners) {
    const learnerId = ids.of(learner.index);
    const zone = zoneOfCountry(countryIndex(learner.country));
    const survey = learner.survey;
    if (survey) {
      add(onTime(survey.ms), survey.ms, {
        eventId: ctx.idRng.uuid(),
        type: 'SignupSurveyAnswered',
        learnerId,
        occurredAt: formatInstant(survey.ms, zone),
        data: {
          surveyResponseId: `SRV-${String(ctx.next('srv')).padStart(7, '0')}`,
          country: learner.country,
          motivation: survey.motivation,
          ...(survey.gender !== undefined ? { gender: survey.gender } : {}),
          ...(survey.assessment ? { statusAssessment: survey.assessment } : {}),
        },
      });
    }
    const contract = learner.contract;
    if (contract) {
      add(onTime(contract.ms), contract.ms, {
        eventId: ctx.idRng.uuid(),
        type: 'ApprenticeshipContractSigned',
        learnerId,
        occurredAt: formatInstant(contract.ms, PARIS),
        data: { contractId: contract.contractId, employerId: contract.employerId },
      });
    }
    learner.spells.forEach((spell, i) => {
      const funding = learner.fundings[i];
      if (funding && funding.funder !== 'self' && funding.ms > spell.admit) throw new Error('demo plan: a funding after its admission');
      if (funding) {
        add(onTime(funding.ms, funding.lagDays), funding.ms, {
          eventId: ctx.idRng.uuid(),
          type: 'FundingGranted',
          learnerId,
          occurredAt: formatInstant(funding.ms, funding.zone),
          data: {
            fundingId: `FND-${String(ctx.next('fnd')).padStart(6, '0')}`,
            funder: funding.funder,
            ...(funding.employerId !== undefined ? { employerId: funding.employerId } : {}),
            ...(funding.assessment ? { statusAssessment: funding.assessment } : {}),
          },
        });
      }
      const admittedDay = onTime(spell.admit, ctx.rng.chance(0.1) ? ctx.rng.between(1, 4) : 0);
      add(admittedDay, spell.admit, {
        eventId: ctx.idRng.uuid(),
        type: 'LearnerAdmitted',
        learnerId,
        occurredAt: formatInstant(spell.admit, PARIS),
        data: {
          admissionId: spell.admissionId,
          pathId: spell.pathId,
          pathLanguage: spell.language,
          track: spell.track,
          ...(spell.country !== undefined ? { country: spell.country } : {}),
          ...(spell.plannedMonths !== undefined ? { plannedMonths: spell.plannedMonths } : {}),
          ...(spell.assessment ? { statusAssessment: spell.assessment } : {}),
        },
      });
      if (spell.end !== undefined && spell.reason !== undefined) {
        // Recorded after its admission whatever the lags: a PathEnded names an earlier admission.
        const endedDay = Math.max(admittedDay, onTime(spell.end, ctx.rng.chance(0.15) ? ctx.rng.between(1, 20) : 0));
        add(endedDay, spell.end, {
          eventId: ctx.idRng.uuid(),
          type: 'PathEnded',
          learnerId,
          occurredAt: formatInstant(spell.end, PARIS),
          data: { admissionId: spell.admissionId, reason: spell.reason },
        });
      }
    });
    for (const declaration of learner.declarations) {
      const eventId = ctx.idRng.uuid();
      add(declaration.recordDay, declaration.ms, {
        eventId,
        type: 'ProfessionalOutcomeReported',
        learnerId,
        occurredAt: formatInstant(declaration.ms, zone),
        data: { outcome: declaration.outcome, evidence: declaration.evidence },
      });
      const retraction = declaration.retraction;
      if (retraction) {
        const ms = ctx.businessTime(T0 + retraction.day * DAY);
        const retractionId = ctx.idRng.uuid();
        add(retraction.day, ms, {
          eventId: retractionId,
          type: 'EventRetracted',
          learnerId,
          occurredAt: formatInstant(ms, PARIS),
          data: { retractedEventId: eventId, reason: retraction.reason },
        });
        const afterPublication = retraction.day > LAST_DAY_BEFORE_PUBLICATION;
        if (afterPublication && declaration.recordDay <= LAST_DAY_BEFORE_PUBLICATION) retractedAfterPublication.push(eventId);
      }
    }
  }
  emitCampaigns(ctx, add);
  emitMission(ctx, add, (index) => ids.of(index));

  const duplicates = planDuplicates(ctx);
  for (const duplicate of duplicates) {
    retractedAfterPublication.push(duplicate.eventId);
    recordedAfterPublication.push(duplicate.retractionId);
  }

  return {
    learnerCount: ctx.learners.length,
    countryOf: Uint8Array.from(ctx.learners.map((l) => countryIndex(l.country))),
    forcedByMonth: forcedByMonth(ctx.learners),
    freeUserGender: [freeUserGender(ctx.learners, 0), freeUserGender(ctx.learners, 1)],
    surveyMotivations: surveyMotivations(ctx.learners),
    eventsByDay,
    duplicates,
    corrections: { retractedAfterPublication, recordedAfterPublication },
  };
}
