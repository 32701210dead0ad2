-- +goose Up
-- Graduated approach (issue 4): concerns and decisions, the assessment
-- timeline (with confidential entries), SEN support plan cycles with
-- outcomes, strategies, support, do-log, reviews and amendments, the
-- strategies bank, and pupil passports.
-- SEND Code of Practice 2015 6.44–6.56 (assess, plan, do, review); CFA 2014 s68.

CREATE TABLE concerns (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  raised_by INTEGER REFERENCES users(id),
  raised_at TIMESTAMP NOT NULL,
  on_behalf_of TEXT NOT NULL DEFAULT '',
  noticed TEXT NOT NULL,
  areas TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  tried TEXT NOT NULL DEFAULT '',
  is_open BOOLEAN NOT NULL DEFAULT TRUE,
  decision TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  monitor_review DATE,
  informed_on DATE,
  informed_how TEXT NOT NULL DEFAULT '',
  decided_by INTEGER REFERENCES users(id),
  decided_at TIMESTAMP,
  cycle_id INTEGER,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX concerns_school_open ON concerns(school_id, is_open, raised_at);
CREATE INDEX concerns_pupil ON concerns(pupil_id);

-- Evidence files attached to a concern (PDF, images, office documents, sniffed
-- on upload), kept in the database outside the web root and served only as downloads.
CREATE TABLE concern_attachments (
  id INTEGER PRIMARY KEY,
  concern_id INTEGER NOT NULL REFERENCES concerns(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX concern_attachments_concern ON concern_attachments(concern_id);

CREATE TABLE evidence_entries (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  entry_date DATE NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  who TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  standard_score INTEGER,
  percentile INTEGER,
  age_equivalent TEXT NOT NULL DEFAULT '',
  confidential BOOLEAN NOT NULL DEFAULT FALSE,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_pupil ON evidence_entries(pupil_id, entry_date);
CREATE INDEX evidence_meetings ON evidence_entries(school_id, kind, entry_date);

-- Who may read a confidential entry (besides its author).
CREATE TABLE evidence_readers (
  entry_id INTEGER NOT NULL REFERENCES evidence_entries(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (entry_id, user_id)
);

CREATE TABLE plan_cycles (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  cycle_no INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  start_date DATE NOT NULL,
  review_date DATE NOT NULL,
  needs_summary TEXT NOT NULL DEFAULT '',
  pupil_important TEXT NOT NULL DEFAULT '',
  pupil_helps TEXT NOT NULL DEFAULT '',
  pupil_not_help TEXT NOT NULL DEFAULT '',
  pupil_strengths TEXT NOT NULL DEFAULT '',
  parent_views TEXT NOT NULL DEFAULT '',
  staff_notes TEXT NOT NULL DEFAULT '',
  share_needs BOOLEAN NOT NULL DEFAULT TRUE,
  share_voice BOOLEAN NOT NULL DEFAULT TRUE,
  share_parents BOOLEAN NOT NULL DEFAULT TRUE,
  share_outcomes BOOLEAN NOT NULL DEFAULT TRUE,
  share_strategies BOOLEAN NOT NULL DEFAULT TRUE,
  share_support BOOLEAN NOT NULL DEFAULT TRUE,
  share_notes BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL,
  locked_at TIMESTAMP,
  UNIQUE (pupil_id, cycle_no)
);
CREATE INDEX plan_cycles_school ON plan_cycles(school_id, status, review_date);

CREATE TABLE plan_outcomes (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL REFERENCES plan_cycles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  success_criteria TEXT NOT NULL,
  baseline TEXT NOT NULL,
  target_date DATE NOT NULL,
  carried_from INTEGER,
  rating TEXT NOT NULL DEFAULT '',
  rating_evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_outcomes_cycle ON plan_outcomes(cycle_id, position);

-- The school's strategies bank; school_id NULL rows are the seeded set every school sees.
CREATE TABLE strategy_bank (
  id INTEGER PRIMARY KEY,
  school_id INTEGER REFERENCES schools(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  area TEXT NOT NULL,
  need_code TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL
);
CREATE INDEX strategy_bank_area ON strategy_bank(area, need_code);

CREATE TABLE plan_strategies (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL REFERENCES plan_cycles(id) ON DELETE CASCADE,
  bank_id INTEGER REFERENCES strategy_bank(id),
  text TEXT NOT NULL
);
CREATE INDEX plan_strategies_cycle ON plan_strategies(cycle_id);

CREATE TABLE plan_support (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL REFERENCES plan_cycles(id) ON DELETE CASCADE,
  what TEXT NOT NULL,
  who TEXT NOT NULL,
  frequency TEXT NOT NULL,
  duration TEXT NOT NULL,
  start_date DATE NOT NULL
);
CREATE INDEX plan_support_cycle ON plan_support(cycle_id);

CREATE TABLE plan_reviews (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL UNIQUE REFERENCES plan_cycles(id) ON DELETE CASCADE,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  meeting_date DATE NOT NULL,
  agreed_date DATE NOT NULL,
  pupil_attended BOOLEAN NOT NULL DEFAULT FALSE,
  parents TEXT NOT NULL DEFAULT '',
  staff TEXT NOT NULL DEFAULT '',
  professionals TEXT NOT NULL DEFAULT '',
  pupil_comments TEXT NOT NULL DEFAULT '',
  parent_comments TEXT NOT NULL DEFAULT '',
  next_steps TEXT NOT NULL DEFAULT '',
  completed_by INTEGER REFERENCES users(id),
  completed_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_reviews_school ON plan_reviews(school_id, meeting_date);

-- Corrections to a locked (reviewed) cycle: the old and new text with a reason.
CREATE TABLE plan_amendments (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL REFERENCES plan_cycles(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  amended_by INTEGER REFERENCES users(id),
  amended_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_amendments_cycle ON plan_amendments(cycle_id);

CREATE TABLE plan_log (
  id INTEGER PRIMARY KEY,
  cycle_id INTEGER NOT NULL REFERENCES plan_cycles(id) ON DELETE CASCADE,
  outcome_id INTEGER NOT NULL REFERENCES plan_outcomes(id) ON DELETE CASCADE,
  entry_date DATE NOT NULL,
  did TEXT NOT NULL,
  response TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_log_cycle ON plan_log(cycle_id, entry_date);

CREATE TABLE passports (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL UNIQUE REFERENCES pupils(id) ON DELETE CASCADE,
  about_me TEXT NOT NULL DEFAULT '',
  strengths TEXT NOT NULL DEFAULT '',
  needs TEXT NOT NULL DEFAULT '',
  helps TEXT NOT NULL DEFAULT '',
  not_helps TEXT NOT NULL DEFAULT '',
  from_cycle INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL
);

-- The seeded strategies bank (school_id NULL: every school sees it).
INSERT INTO strategy_bank (title, description, area, need_code, search_text) VALUES
('Give instructions in short chunks', 'Give one or two steps at a time, in the order they happen, and check understanding by asking the pupil to tell you what to do first.', 'CI', 'SLCN', 'give instructions in short chunks give one or two steps at a time, in the order they happen, and check understanding by asking the pupil to tell you what to do first. ci slcn'),
('Allow thinking time', 'Wait at least ten seconds after asking a question before repeating or rephrasing it.', 'CI', 'SLCN', 'allow thinking time wait at least ten seconds after asking a question before repeating or rephrasing it. ci slcn'),
('Pre-teach key vocabulary', 'Introduce three to five new topic words before the lesson with a picture and a simple definition.', 'CI', 'SLCN', 'pre-teach key vocabulary introduce three to five new topic words before the lesson with a picture and a simple definition. ci slcn'),
('Use visual supports with spoken language', 'Back up what you say with pictures, gestures, objects or written key words.', 'CI', 'SLCN', 'use visual supports with spoken language back up what you say with pictures, gestures, objects or written key words. ci slcn'),
('Model correct language', 'Repeat back what the pupil said in a correct, slightly longer sentence rather than correcting them.', 'CI', 'SLCN', 'model correct language repeat back what the pupil said in a correct, slightly longer sentence rather than correcting them. ci slcn'),
('Visual timetable', 'Show the day''s activities in order with pictures; point to changes in advance.', 'CI', 'ASD', 'visual timetable show the day''s activities in order with pictures; point to changes in advance. ci asd'),
('Prepare for changes', 'Warn the pupil about changes of routine, staff or room as early as possible, ideally the day before.', 'CI', 'ASD', 'prepare for changes warn the pupil about changes of routine, staff or room as early as possible, ideally the day before. ci asd'),
('Clear, literal language', 'Say exactly what you mean and avoid idioms and sarcasm; explain figurative language when it comes up.', 'CI', 'ASD', 'clear, literal language say exactly what you mean and avoid idioms and sarcasm; explain figurative language when it comes up. ci asd'),
('Now and next board', 'Show what is happening now and what comes next to support transitions.', 'CI', 'ASD', 'now and next board show what is happening now and what comes next to support transitions. ci asd'),
('Reduce sensory load', 'Seat the pupil away from noise and busy displays; allow ear defenders if they help.', 'CI', 'ASD', 'reduce sensory load seat the pupil away from noise and busy displays; allow ear defenders if they help. ci asd'),
('Coloured overlays or tinted paper', 'Offer the overlay or paper colour the pupil finds easiest to read.', 'CL', 'SPLD', 'coloured overlays or tinted paper offer the overlay or paper colour the pupil finds easiest to read. cl spld'),
('Dyslexia-friendly handouts', 'Use a clear sans-serif font, at least 12 point, left-aligned, with space between lines and off-white paper.', 'CL', 'SPLD', 'dyslexia-friendly handouts use a clear sans-serif font, at least 12 point, left-aligned, with space between lines and off-white paper. cl spld'),
('Reduce copying from the board', 'Give a printed copy of notes or key information instead of copying from the board.', 'CL', 'SPLD', 'reduce copying from the board give a printed copy of notes or key information instead of copying from the board. cl spld'),
('Word banks and spelling mats', 'Provide topic word banks and spelling mats on the desk.', 'CL', 'SPLD', 'word banks and spelling mats provide topic word banks and spelling mats on the desk. cl spld'),
('Multi-sensory phonics', 'Teach sounds and spellings through seeing, saying, hearing and writing together.', 'CL', 'SPLD', 'multi-sensory phonics teach sounds and spellings through seeing, saying, hearing and writing together. cl spld'),
('Concrete resources in maths', 'Use objects, number lines and pictures before moving to written methods.', 'CL', 'MLD', 'concrete resources in maths use objects, number lines and pictures before moving to written methods. cl mld'),
('Break tasks into small steps', 'Give a checklist of small steps and tick each off when done.', 'CL', 'MLD', 'break tasks into small steps give a checklist of small steps and tick each off when done. cl mld'),
('Overlearning and regular recap', 'Revisit key facts and skills little and often across the week.', 'CL', 'MLD', 'overlearning and regular recap revisit key facts and skills little and often across the week. cl mld'),
('Worked examples', 'Show a completed example next to the task so the pupil can follow the method.', 'CL', 'MLD', 'worked examples show a completed example next to the task so the pupil can follow the method. cl mld'),
('Check understanding often', 'Ask the pupil to explain back in their own words rather than asking whether they understand.', 'CL', '', 'check understanding often ask the pupil to explain back in their own words rather than asking whether they understand. cl '),
('Meet and greet', 'A named adult greets the pupil at the start of the day and checks how they are.', 'SEMH', 'SEMH', 'meet and greet a named adult greets the pupil at the start of the day and checks how they are. semh semh'),
('Agreed calm space', 'Agree a calm place the pupil can go to, and a signal (such as a card) to ask for a break.', 'SEMH', 'SEMH', 'agreed calm space agree a calm place the pupil can go to, and a signal (such as a card) to ask for a break. semh semh'),
('Emotion check-ins', 'Use a simple feelings scale at agreed times so the pupil can say how they feel.', 'SEMH', 'SEMH', 'emotion check-ins use a simple feelings scale at agreed times so the pupil can say how they feel. semh semh'),
('Praise specific effort', 'Praise specific things the pupil did, quietly if public praise is hard for them.', 'SEMH', 'SEMH', 'praise specific effort praise specific things the pupil did, quietly if public praise is hard for them. semh semh'),
('Predictable routines', 'Keep routines and expectations the same each lesson and explain any change.', 'SEMH', 'SEMH', 'predictable routines keep routines and expectations the same each lesson and explain any change. semh semh'),
('Movement breaks', 'Plan short movement breaks or jobs, such as taking a message, during longer tasks.', 'SEMH', '', 'movement breaks plan short movement breaks or jobs, such as taking a message, during longer tasks. semh '),
('Face the pupil when speaking', 'Make sure the pupil can see your face; do not talk while facing the board.', 'SP', 'HI', 'face the pupil when speaking make sure the pupil can see your face; do not talk while facing the board. sp hi'),
('Use the radio aid', 'Wear and switch on the pupil''s radio aid microphone; pass it to other speakers.', 'SP', 'HI', 'use the radio aid wear and switch on the pupil''s radio aid microphone; pass it to other speakers. sp hi'),
('Subtitles on videos', 'Turn on subtitles for any video or audio used in the lesson.', 'SP', 'HI', 'subtitles on videos turn on subtitles for any video or audio used in the lesson. sp hi'),
('Enlarged, high-contrast materials', 'Give enlarged print in the size and contrast the pupil''s advisory teacher recommends.', 'SP', 'VI', 'enlarged, high-contrast materials give enlarged print in the size and contrast the pupil''s advisory teacher recommends. sp vi'),
('Seating for vision', 'Seat the pupil where they see best, usually near the front and away from glare.', 'SP', 'VI', 'seating for vision seat the pupil where they see best, usually near the front and away from glare. sp vi'),
('Accessible classroom layout', 'Keep routes clear and resources within reach.', 'SP', 'PD', 'accessible classroom layout keep routes clear and resources within reach. sp pd'),
('Extra time for movement', 'Allow extra time to move between rooms and to get ready for PE.', 'SP', 'PD', 'extra time for movement allow extra time to move between rooms and to get ready for pe. sp pd'),
('Writing aids', 'Offer a writing slope, pencil grip or laptop to reduce the physical effort of writing.', 'SP', 'PD', 'writing aids offer a writing slope, pencil grip or laptop to reduce the physical effort of writing. sp pd'),
('Visual learning supports', 'Use pictures, signs and written words alongside speech; pupils with Down syndrome often learn well visually.', 'OTHER', 'DS', 'visual learning supports use pictures, signs and written words alongside speech; pupils with down syndrome often learn well visually. other ds'),
('Seat near the teacher', 'Seat the pupil where you can easily check in and where distractions are fewest.', 'OTHER', '', 'seat near the teacher seat the pupil where you can easily check in and where distractions are fewest. other ');

-- +goose Down
DROP TABLE passports;
DROP TABLE plan_log;
DROP TABLE plan_amendments;
DROP TABLE plan_reviews;
DROP TABLE plan_support;
DROP TABLE plan_strategies;
DROP TABLE strategy_bank;
DROP TABLE plan_outcomes;
DROP TABLE plan_cycles;
DROP TABLE evidence_readers;
DROP TABLE evidence_entries;
DROP TABLE concern_attachments;
DROP TABLE concerns;
