import type { IncomingMessage, ServerResponse } from 'node:http';
import { postSigned } from '../deliveries/signed-request.js';
import { escapeHtml, readBody, readSigned, sendHtml, sendJson, startLocalServer } from '../demo-peers/http.js';
import type { PartnerRequest, PartnerResultReport } from '../inter-agency/partner-agency.js';
import type { PartnerDecision } from '../inter-agency/inter-agency.service.js';

export interface MockPartnerRequest {
  request: PartnerRequest;
  receivedAt: string;
  /** How many times the request arrived (a retried delivery arrives again and is kept once). */
  deliveries: number;
  /** The result sent back, once our server took it (2xx). */
  decision: PartnerDecision | null;
  /** The answer of our server to the last result sent. */
  lastCallback: string | null;
}

export interface PartnerMock {
  port: number;
  /** What PARTNER_URL names. */
  url: string;
  requests(): MockPartnerRequest[];
  /** The partner decides and sends its result to the request's callback URL, signed; resolves with the HTTP status it got (0: unreachable). */
  answer(requestId: string, decision: PartnerDecision, note?: string): Promise<number>;
  /** The next n requests fail with 503 before anything is kept (a partner system that is down). */
  failNext(n: number): void;
  close(): Promise<void>;
}

const DEFAULT_NOTE: Record<PartnerDecision, string> = {
  approved: 'Đã đăng ký thường trú và cấp thẻ bảo hiểm y tế cho trẻ',
  refused: 'Thông tin nơi cư trú không khớp với Cơ sở dữ liệu quốc gia về dân cư',
};

/**
 * A stand-in for the partner agency of inter-agency dossiers (the police's residence registration and social
 * insurance in the 3-in-1) for the demo and the tests: it checks each request's signature, keeps it once by its
 * Idempotency-Key, and answers 202; its page (`GET /`) lists the requests with buttons "Trả kết quả: đồng ý" and
 * "Từ chối", each sent back to the request's callback URL, signed. Listens on loopback only.
 */
export async function startPartnerMock(options: { port: number; host?: string; secret: string }): Promise<PartnerMock> {
  const requests = new Map<string, MockPartnerRequest>();
  let failures = 0;

  async function answer(entry: MockPartnerRequest, decision: PartnerDecision, note = DEFAULT_NOTE[decision]): Promise<number> {
    const reference = decision === 'approved' ? `BHYT-${entry.request.requestId.slice(0, 8).toUpperCase()}` : undefined;
    const report: PartnerResultReport = { eventId: `${entry.request.requestId}:${decision}`, requestId: entry.request.requestId, decision, note, ...(reference ? { reference } : {}) };
    try {
      const response = await postSigned(entry.request.callbackUrl, { secret: options.secret, key: report.eventId, body: JSON.stringify(report), timeoutMs: 10_000 });
      entry.lastCallback = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
      if (response.ok) entry.decision = decision;
      return response.status;
    } catch (err) {
      entry.lastCallback = (err as Error).message;
      return 0;
    }
  }

  async function receive(req: IncomingMessage, res: ServerResponse) {
    const signed = await readSigned(req, res, options.secret);
    if (!signed) return;
    if (failures > 0) {
      failures--;
      return sendJson(res, 503, { error: 'Hệ thống của cơ quan phối hợp tạm thời gián đoạn / partner system unavailable (mock)' });
    }
    const request = JSON.parse(signed.body) as PartnerRequest;
    if (request.requestId !== signed.key) return sendJson(res, 400, { error: 'requestId must equal the Idempotency-Key' });
    const known = requests.get(signed.key);
    if (known) known.deliveries++;
    else requests.set(signed.key, { request, receivedAt: new Date().toISOString(), deliveries: 1, decision: null, lastCallback: null });
    return sendJson(res, 202, { accepted: true, duplicate: known !== undefined });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'POST' && url.pathname === '/requests') return receive(req, res);
    if (req.method === 'GET' && url.pathname === '/__requests') return sendJson(res, 200, [...requests.values()]);
    const answering = /^\/requests\/([^/]+)\/answer$/.exec(url.pathname);
    if (req.method === 'POST' && answering) {
      const entry = requests.get(decodeURIComponent(answering[1]!));
      const decision = new URLSearchParams(await readBody(req)).get('decision');
      if (!entry || (decision !== 'approved' && decision !== 'refused')) return sendJson(res, 404, { error: 'no such request or decision' });
      await answer(entry, decision);
      res.writeHead(303, { location: '/' }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') return sendHtml(res, 200, requestsPage([...requests.values()]));
    return sendJson(res, 404, { error: 'not found' });
  }

  const server = await startLocalServer(handle, { port: options.port, host: options.host });
  return {
    port: server.port,
    url: server.origin,
    requests: () => [...requests.values()],
    answer: async (requestId, decision, note) => {
      const entry = requests.get(requestId);
      if (!entry) throw new Error(`no request ${requestId}`);
      return answer(entry, decision, note);
    },
    failNext: (n) => {
      failures = n;
    },
    close: () => server.close(),
  };
}

const DECISION = { approved: 'Đồng ý / approved', refused: 'Từ chối / refused' };

function requestsPage(requests: MockPartnerRequest[]) {
  const rows = requests
    .map((r) => {
      const id = encodeURIComponent(r.request.requestId);
      const buttons = r.decision
        ? ''
        : `<form method="post" action="/requests/${id}/answer"><input type="hidden" name="decision" value="approved"><button>Trả kết quả: đồng ý</button></form>
<form method="post" action="/requests/${id}/answer"><input type="hidden" name="decision" value="refused"><button>Từ chối</button></form>`;
      const form = Object.entries(r.request.form)
        .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(String(v))}`)
        .join('<br>');
      return `<tr><td>${escapeHtml(r.request.dossierCode)}<br><small>${escapeHtml(r.request.requestId)}</small></td><td>${escapeHtml(r.request.procedure.name)}</td>
<td>${escapeHtml(r.request.applicant.name)}<br>${escapeHtml(r.request.applicant.idNumber ?? '')}</td><td>${form}</td><td>${r.request.documents.length}</td>
<td>${r.decision ? DECISION[r.decision] : 'Chờ xử lý / pending'}</td><td>${buttons}<small>${escapeHtml(r.lastCallback ?? '')}</small></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cơ quan phối hợp thử nghiệm / demo partner agency</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;color:#111}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}button{padding:.5rem 1rem;font-size:1rem;margin:0 .25rem .25rem 0}
form{display:inline}</style>
</head><body><h1>Cơ quan phối hợp thử nghiệm <small>/ demo partner agency</small></h1>
<p>Các yêu cầu liên thông (đăng ký thường trú, cấp thẻ bảo hiểm y tế) hệ thống một cửa đã gửi; nút bấm gửi kết quả về hệ thống.</p>
<table><thead><tr><th>Hồ sơ</th><th>Thủ tục</th><th>Người nộp</th><th>Thông tin tờ khai</th><th>Số giấy tờ</th><th>Kết quả</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">Chưa có yêu cầu / no requests yet</td></tr>'}</tbody></table></body></html>`;
}
