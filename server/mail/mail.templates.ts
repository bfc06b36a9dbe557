import type { Bilingual } from '../problems.js';

/** What a notification about a dossier says: the dossier as it stands, and the change it reports. */
export interface NotificationFacts {
  applicantName: string;
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  dueAt: Date | null;
  status: number;
  at: Date;
  reason: string | null;
}

export interface MailContent {
  subject: string;
  text: string;
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const viDate = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const viClock = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const enTime = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short', year: 'numeric' });
/** "14:30 ngày 25/08/2024" as official letters write it; "25 Aug 2024, 14:30". Times are Vietnam's. */
const when = (at: Date): Bilingual => ({ vi: `${viClock.format(at)} ngày ${viDate.format(at)}`, en: enTime.format(at) });

interface Template {
  subject: (f: NotificationFacts) => Bilingual;
  body: (f: NotificationFacts) => Bilingual[];
}

const appointment = (f: NotificationFacts): Bilingual[] =>
  f.dueAt ? [{ vi: `Ngày hẹn trả kết quả: ${when(f.dueAt).vi}.`, en: `Appointment for the result: ${when(f.dueAt).en}.` }] : [];

const reasonLine = (f: NotificationFacts, label: Bilingual): Bilingual[] => (f.reason ? [{ vi: `${label.vi}: ${f.reason}`, en: `${label.en}: ${f.reason}` }] : []);

/** One template per national status the dossier reaches: the applicant is told of every change. */
const TEMPLATES: Record<number, Template> = {
  1: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} đã được nộp`, en: `Dossier ${f.dossierCode} submitted` }),
    body: (f) => [
      { vi: `Hồ sơ của Ông/Bà đã được nộp lúc ${when(f.at).vi} và đang chờ cơ quan tiếp nhận.`, en: `Your dossier was submitted on ${when(f.at).en} and awaits reception.` },
      ...appointment(f),
    ],
  },
  2: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} đã được tiếp nhận`, en: `Dossier ${f.dossierCode} received` }),
    body: (f) => [
      { vi: `Hồ sơ của Ông/Bà đã được tiếp nhận lúc ${when(f.at).vi}.`, en: `Your dossier was received on ${when(f.at).en}.` },
      ...appointment(f),
    ],
  },
  3: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} không được tiếp nhận`, en: `Dossier ${f.dossierCode} not accepted` }),
    body: (f) => [
      { vi: 'Cơ quan giải quyết không tiếp nhận hồ sơ của Ông/Bà.', en: 'The agency did not accept your dossier.' },
      ...reasonLine(f, { vi: 'Lý do', en: 'Reason' }),
    ],
  },
  4: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} đang được giải quyết`, en: `Dossier ${f.dossierCode} in progress` }),
    body: (f) => [
      { vi: `Hồ sơ của Ông/Bà được chuyển giải quyết lúc ${when(f.at).vi}.`, en: `Your dossier went into processing on ${when(f.at).en}.` },
      ...appointment(f),
    ],
  },
  5: {
    subject: (f) => ({ vi: `Yêu cầu bổ sung hồ sơ ${f.dossierCode}`, en: `Supplement requested for dossier ${f.dossierCode}` }),
    body: (f) => [
      { vi: 'Cơ quan giải quyết đề nghị Ông/Bà bổ sung hồ sơ.', en: 'The agency asks you to supplement your dossier.' },
      ...reasonLine(f, { vi: 'Nội dung cần bổ sung', en: 'What is needed' }),
      {
        vi: 'Vui lòng đăng nhập Cổng Dịch vụ công, mở hồ sơ và nộp bổ sung. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.',
        en: 'Please log in to the public-service portal, open the dossier and supplement it. The waiting time does not count against the time limit.',
      },
    ],
  },
  6: {
    subject: (f) => ({ vi: `Yêu cầu nộp phí, lệ phí cho hồ sơ ${f.dossierCode}`, en: `Fee payment requested for dossier ${f.dossierCode}` }),
    body: (f) => [
      { vi: 'Cơ quan giải quyết đề nghị Ông/Bà thực hiện nghĩa vụ tài chính (phí, lệ phí) để tiếp tục giải quyết hồ sơ.', en: 'The agency asks you to pay the fees before it continues with your dossier.' },
      ...reasonLine(f, { vi: 'Nội dung', en: 'Details' }),
    ],
  },
  7: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} đã được rút`, en: `Dossier ${f.dossierCode} withdrawn` }),
    body: (f) => [{ vi: `Đề nghị rút hồ sơ của Ông/Bà đã được chấp thuận lúc ${when(f.at).vi}; hồ sơ dừng giải quyết.`, en: `Your request to withdraw the dossier was accepted on ${when(f.at).en}; it will not be processed further.` }],
  },
  8: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} bị từ chối giải quyết`, en: `Dossier ${f.dossierCode}: resolution refused` }),
    body: (f) => [
      { vi: 'Cơ quan giải quyết từ chối giải quyết hồ sơ của Ông/Bà.', en: 'The agency refused to resolve your dossier.' },
      ...reasonLine(f, { vi: 'Lý do', en: 'Reason' }),
    ],
  },
  9: {
    subject: (f) => ({ vi: `Hồ sơ ${f.dossierCode} đã có kết quả`, en: `The result of dossier ${f.dossierCode} is ready` }),
    body: () => [
      {
        vi: 'Hồ sơ của Ông/Bà đã được giải quyết xong. Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký (tại Bộ phận Một cửa, qua bưu chính hoặc trực tuyến).',
        en: 'Your dossier has been resolved. Please collect the result as you chose (at the one-stop desk, by post or online).',
      },
    ],
  },
  10: {
    subject: (f) => ({ vi: `Đã trả kết quả hồ sơ ${f.dossierCode}`, en: `Result of dossier ${f.dossierCode} returned` }),
    body: (f) => [
      { vi: `Kết quả giải quyết hồ sơ đã được trả cho Ông/Bà lúc ${when(f.at).vi}.`, en: `The result of your dossier was returned to you on ${when(f.at).en}.` },
      { vi: 'Mời Ông/Bà đánh giá mức độ hài lòng trên Cổng Dịch vụ công.', en: 'Please rate the service on the public-service portal.' },
    ],
  },
};

/** Whether the applicant is told by email when a dossier reaches `status`. */
export const notifiesApplicant = (status: number) => TEMPLATES[status] !== undefined;

/** A Vietnamese line with its English line below, as every notification writes them. */
const bilingual = (p: Bilingual) => `${p.vi}\n${p.en}`;
const greeting = (name: string): Bilingual => ({ vi: `Kính gửi Ông/Bà ${name},`, en: `Dear ${name},` });

/** The dossier's particulars, one line each with both labels: names and codes need no translation. */
const dossierParticulars = (f: Pick<NotificationFacts, 'dossierCode' | 'procedureName' | 'agencyName'>) =>
  [`Mã hồ sơ (Dossier code): ${f.dossierCode}`, `Thủ tục (Procedure): ${f.procedureName}`, `Cơ quan giải quyết (Agency): ${f.agencyName}`].join('\n');

/** The email for one event: each Vietnamese line with its English line below. */
export function notificationMail(facts: NotificationFacts): MailContent {
  const template = TEMPLATES[facts.status];
  if (!template) throw new Error(`no notification template for status ${facts.status}`);
  const subject = template.subject(facts);
  const particulars = dossierParticulars(facts);
  const closing: Bilingual = {
    vi: 'Ông/Bà có thể tra cứu tình trạng hồ sơ trên Cổng Dịch vụ công bằng mã hồ sơ và mã tra cứu in trên phiếu biên nhận. Thư này được gửi tự động, vui lòng không trả lời.',
    en: 'You can follow the dossier on the public-service portal with its code and the PIN printed on the receipt. This message was sent automatically; please do not reply.',
  };
  return {
    subject: `${subject.vi} / ${subject.en}`,
    text: [bilingual(greeting(facts.applicantName)), ...template.body(facts).map(bilingual), particulars, bilingual(closing)].join('\n\n') + '\n',
  };
}

/** What the email to someone whose question (Hỏi đáp) was answered says: the question and answer as published. */
export interface QuestionAnsweredFacts {
  askerName: string;
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  question: string;
  answer: string;
  publishedAt: Date;
  /** The procedure's page on the portal, where the answer is published. */
  url: string;
}

/** The asker's email once the agency publishes the answer to their question: Vietnamese, each line with its English. */
export function questionAnsweredMail(facts: QuestionAnsweredFacts): MailContent {
  const lines: Bilingual[] = [
    greeting(facts.askerName),
    {
      vi: `${facts.agencyName} đã trả lời câu hỏi của Ông/Bà về thủ tục "${facts.procedureName}" (mã ${facts.procedureCode}) lúc ${when(facts.publishedAt).vi}.`,
      en: `${facts.agencyName} answered your question about the procedure "${facts.procedureName}" (code ${facts.procedureCode}) on ${when(facts.publishedAt).en}.`,
    },
  ];
  // The citizen's and the agency's own words, quoted as written: they need no translation.
  const exchange = [`Câu hỏi (Question):\n${facts.question}`, `Trả lời (Answer):\n${facts.answer}`];
  const closing: Bilingual[] = [
    { vi: `Câu hỏi và câu trả lời được công khai trên Cổng Dịch vụ công: ${facts.url}`, en: `The question and its answer are published on the public-service portal: ${facts.url}` },
    { vi: 'Thư này được gửi tự động, vui lòng không trả lời.', en: 'This message was sent automatically; please do not reply.' },
  ];
  return {
    subject: `Câu hỏi về thủ tục ${facts.procedureCode} đã được trả lời / Your question about procedure ${facts.procedureCode} was answered`,
    text: [...lines.map(bilingual), ...exchange, ...closing.map(bilingual)].join('\n\n') + '\n',
  };
}

/** What the applicant is told of a new message from the agency in the dossier's conversation (Trao đổi với công dân). */
export interface NewMessageFacts extends Pick<NotificationFacts, 'applicantName' | 'dossierCode' | 'procedureName' | 'agencyName' | 'at'> {
  /** The dossier's page on the portal, where the conversation is read and answered. */
  url: string;
}

/**
 * The applicant's email about a new message: who wrote and when, and where to read it. The message itself stays
 * on the portal, behind the applicant's login: email is no place for what an officer writes about a dossier.
 */
export function newMessageMail(facts: NewMessageFacts): MailContent {
  const lines: Bilingual[] = [
    greeting(facts.applicantName),
    {
      vi: `${facts.agencyName} đã gửi trao đổi về hồ sơ của Ông/Bà lúc ${when(facts.at).vi}.`,
      en: `${facts.agencyName} sent you a message about your dossier on ${when(facts.at).en}.`,
    },
    { vi: `Vui lòng đăng nhập Cổng Dịch vụ công để đọc và trả lời: ${facts.url}`, en: `Please log in to the public-service portal to read it and reply: ${facts.url}` },
  ];
  const closing: Bilingual = {
    vi: 'Để bảo vệ thông tin của Ông/Bà, nội dung trao đổi không gửi qua thư điện tử. Thư này được gửi tự động, vui lòng không trả lời.',
    en: 'To protect your information, the message itself is not sent by email. This message was sent automatically; please do not reply.',
  };
  return {
    subject: `Trao đổi mới về hồ sơ ${facts.dossierCode} / New message about dossier ${facts.dossierCode}`,
    text: [...lines.map(bilingual), dossierParticulars(facts), bilingual(closing)].join('\n\n') + '\n',
  };
}
