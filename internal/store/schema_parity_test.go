package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The SQLite and PostgreSQL migrations must build the same schema: the same
// tables; per table the same columns (name, nullability, coarse type family),
// primary key, indexes and unique constraints (by columns, uniqueness and
// partial-index predicate, not by name) and foreign keys (columns, referenced
// table and columns, ON DELETE and ON UPDATE actions). The test migrates a
// fresh database on each engine, reads each engine's own catalogue and
// compares the two.
//
// Not compared: defaults, CHECK constraints, triggers (the audit log's
// append-only triggers are written differently on purpose), column order and
// index names.
func TestSchemaParity(t *testing.T) {
	cats := map[string]catalogue{}
	for _, engine := range storetest.Engines {
		s := storetest.Open(t, engine)
		c, err := readCatalogue(context.Background(), s)
		if err != nil {
			t.Fatalf("%s: read catalogue: %v", engine, err)
		}
		// A reader that returned nothing would make the comparison pass
		// trivially: insist on what every OpenSEND schema has.
		if len(c) < 10 || c["users"] == nil || c["users"].Columns["email"].Type != "text" {
			t.Fatalf("%s: catalogue looks unread (%d tables): %v", engine, len(c), slices.Sorted(maps.Keys(c)))
		}
		cats[engine] = c
	}
	if d := diffCatalogues(store.SQLite, cats[store.SQLite], store.Postgres, cats[store.Postgres]); len(d) > 0 {
		t.Errorf("SQLite and PostgreSQL schemas differ (%d facts); add a migration pair that makes them equal:\n  %s",
			len(d), strings.Join(d, "\n  "))
	}

	// Self-check: the comparison reports a single flipped column, index and
	// foreign-key action, so this test can fail.
	t.Run("comparison can fail", func(t *testing.T) {
		a := cats[store.SQLite]
		b := a.clone()
		col := b["users"].Columns["email"]
		col.NotNull = !col.NotNull
		b["users"].Columns["email"] = col
		b["sessions"].Indexes = append(b["sessions"].Indexes, index{Columns: []string{"expires_at"}})
		b["sessions"].ForeignKeys[0].OnDelete = "SET NULL"
		d := diffCatalogues("a", a, "b", b)
		want := []string{"users: column email", "sessions: index (expires_at)", "sessions: foreign key (user_id)"}
		for _, w := range want {
			if !slices.ContainsFunc(d, func(s string) bool { return strings.Contains(s, w) }) {
				t.Errorf("diff does not report %q:\n  %s", w, strings.Join(d, "\n  "))
			}
		}
		// A changed column or key is one fact on each side; an added index one fact.
		if len(d) != 5 {
			t.Errorf("diff has %d lines, want 5:\n  %s", len(d), strings.Join(d, "\n  "))
		}
		if d := diffCatalogues("a", a, "a again", a.clone()); len(d) > 0 {
			t.Errorf("a catalogue differs from its copy:\n  %s", strings.Join(d, "\n  "))
		}
	})
}

// SQLite migration 00008 rebuilds sessions and ehc_documents to make their
// primary keys NOT NULL; rows, and the EHC plans' links to their documents
// (ON DELETE SET NULL, run by the table's drop), must come through.
func TestSQLitePrimaryKeyRebuildKeepsRows(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := goose.NewProvider(goose.DialectSQLite3, s.DB(), os.DirFS("migrations/sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	for _, q := range []string{
		`INSERT INTO schools (id, name, created_at) VALUES (1, 'S', '2026-01-01 00:00:00')`,
		`INSERT INTO users (id, school_id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 1, 'a@b', 'A', 'senco', 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
		`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('tok', 1, 'csrf', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-02 00:00:00')`,
		`INSERT INTO pupils (id, school_id, upn, forename, surname, dob, sex, year_group, year_order, search_text, created_at, updated_at) VALUES (1, 1, 'U', 'F', 'S', '2014-01-01', 'F', '7', 7, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
		`INSERT INTO ehc_documents (id, school_id, pupil_id, filename, content_type, size, data, uploaded_by, uploaded_at) VALUES ('doc1', 1, 1, 'plan.pdf', 'application/pdf', 3, X'255044', 1, '2026-01-01 00:00:00')`,
		`INSERT INTO ehc_plans (id, school_id, pupil_id, la_name, issued, document_id, created_at, updated_at) VALUES (7, 1, 1, 'LA', '2025-09-01', 'doc1', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
		`INSERT INTO ehc_plans (id, school_id, pupil_id, la_name, issued, created_at, updated_at) VALUES (8, 1, 1, 'LA', '2025-09-01', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var sessions, docs, size int
	var linked, unlinked sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM sessions WHERE token_hash = 'tok' AND user_id = 1),
		(SELECT count(*) FROM ehc_documents), (SELECT size FROM ehc_documents WHERE id = 'doc1'),
		(SELECT document_id FROM ehc_plans WHERE id = 7), (SELECT document_id FROM ehc_plans WHERE id = 8)`).
		Scan(&sessions, &docs, &size, &linked, &unlinked); err != nil {
		t.Fatal(err)
	}
	if sessions != 1 || docs != 1 || size != 3 || linked.String != "doc1" || unlinked.Valid {
		t.Errorf("after 00008: sessions %d, documents %d (size %d), plan 7 document %v, plan 8 document %v; want 1, 1 (3), doc1, NULL",
			sessions, docs, size, linked, unlinked)
	}
	rows, err := db.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var tbl string
		_ = rows.Scan(&tbl)
		t.Errorf("foreign key violation in %s after 00008", tbl)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (NULL, 1, 'c', '2026-01-01', '2026-01-01', '2026-01-01')`); err == nil {
		t.Error("sessions accepted a NULL token_hash after 00008")
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('sessions_user', 'sessions_new', 'ehc_documents_new', 'ehc_plan_documents_00008')`).Scan(&docs); err != nil || docs != 1 {
		t.Errorf("after 00008 want only the index sessions_user among the rebuild's names, got %d (%v)", docs, err)
	}
}

// catalogue is one engine's schema, by table name.
type catalogue map[string]*table

type table struct {
	Columns     map[string]column
	PrimaryKey  []string
	Indexes     []index // not the primary key's own index
	ForeignKeys []foreignKey
}

type column struct {
	Type    string // coarse family: integer, text, real, boolean, date, timestamp, blob, or "other: <declared>"
	NotNull bool
}

type index struct {
	Columns []string // column names in index order; "<expr>" for an expression
	Unique  bool
	Where   string // normalised partial-index predicate, "" for a full index
}

type foreignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   string // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
	OnUpdate   string
}

func (c catalogue) clone() catalogue {
	out := catalogue{}
	for name, t := range c {
		out[name] = &table{
			Columns:     maps.Clone(t.Columns),
			PrimaryKey:  slices.Clone(t.PrimaryKey),
			Indexes:     slices.Clone(t.Indexes),
			ForeignKeys: slices.Clone(t.ForeignKeys),
		}
	}
	return out
}

// facts flattens a catalogue into readable lines, each prefixed by its table
// so that a sorted diff groups by table. Counts keep duplicate indexes visible.
func (c catalogue) facts() map[string]int {
	f := map[string]int{}
	list := func(cols []string) string { return "(" + strings.Join(cols, ", ") + ")" }
	for name, t := range c {
		f[name+": table"]++
		for col, def := range t.Columns {
			null := "NULL"
			if def.NotNull {
				null = "NOT NULL"
			}
			f[fmt.Sprintf("%s: column %s %s %s", name, col, def.Type, null)]++
		}
		f[fmt.Sprintf("%s: primary key %s", name, list(t.PrimaryKey))]++
		for _, ix := range t.Indexes {
			s := fmt.Sprintf("%s: index %s", name, list(ix.Columns))
			if ix.Unique {
				s = fmt.Sprintf("%s: index %s unique", name, list(ix.Columns))
			}
			if ix.Where != "" {
				s += " where " + ix.Where
			}
			f[s]++
		}
		for _, fk := range t.ForeignKeys {
			f[fmt.Sprintf("%s: foreign key %s references %s%s on delete %s on update %s",
				name, list(fk.Columns), fk.RefTable, list(fk.RefColumns), fk.OnDelete, fk.OnUpdate)]++
		}
	}
	return f
}

// diffCatalogues lists, sorted, every fact found on one side only.
func diffCatalogues(nameA string, a catalogue, nameB string, b catalogue) []string {
	fa, fb := a.facts(), b.facts()
	var out []string
	for _, k := range slices.Sorted(maps.Keys(fa)) {
		if fa[k] > fb[k] {
			out = append(out, fmt.Sprintf("%s (only on %s)", k, nameA)+times(fa[k]-fb[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(fb)) {
		if fb[k] > fa[k] {
			out = append(out, fmt.Sprintf("%s (only on %s)", k, nameB)+times(fb[k]-fa[k]))
		}
	}
	slices.Sort(out)
	return out
}

func times(n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" ×%d", n)
}

// ignoredTables are the migration tool's bookkeeping.
var ignoredTables = map[string]bool{"goose_db_version": true}

func readCatalogue(ctx context.Context, s *store.Store) (catalogue, error) {
	if s.Engine() == store.Postgres {
		return readPostgres(ctx, s.DB())
	}
	return readSQLite(ctx, s.DB())
}

// typeFamily maps a declared or catalogue type name of either engine to a
// coarse family. Dates and instants are kept apart: both engines declare them
// distinctly (DATE; TIMESTAMP / TIMESTAMPTZ).
func typeFamily(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "integer", "int", "bigint", "smallint", "int2", "int4", "int8":
		return "integer"
	case "text", "varchar", "character varying", "char", "character", "clob":
		return "text"
	case "real", "double", "double precision", "float", "float4", "float8", "numeric", "decimal":
		return "real"
	case "boolean", "bool":
		return "boolean"
	case "date":
		return "date"
	case "timestamp", "datetime", "timestamptz", "timestamp with time zone", "timestamp without time zone":
		return "timestamp"
	case "blob", "bytea":
		return "blob"
	}
	return "other: " + t
}

var (
	spaces = regexp.MustCompile(`\s+`)
	casts  = regexp.MustCompile(`::[a-z ]+`)
)

// normPredicate makes a partial-index predicate comparable across engines:
// PostgreSQL adds casts and parentheses that SQLite keeps as written.
func normPredicate(p string) string {
	p = strings.ToLower(p)
	p = casts.ReplaceAllString(p, "")
	p = strings.NewReplacer("(", "", ")", "", `"`, "").Replace(p)
	p = strings.ReplaceAll(p, "true", "1")
	p = strings.ReplaceAll(p, "false", "0")
	return strings.TrimSpace(spaces.ReplaceAllString(p, " "))
}

func readSQLite(ctx context.Context, db *sql.DB) (catalogue, error) {
	cat := catalogue{}
	type tbl struct {
		name string
		sql  string
	}
	var tables []tbl
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t tbl
		if err := rows.Scan(&t.name, &t.sql); err != nil {
			rows.Close()
			return nil, err
		}
		if !ignoredTables[t.name] {
			tables = append(tables, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	withoutRowid := regexp.MustCompile(`(?i)\)\s*WITHOUT\s+ROWID`)
	for _, tb := range tables {
		t := &table{Columns: map[string]column{}}
		cat[tb.name] = t
		// Columns and primary key.
		type pkCol struct {
			name     string
			declared string
			seq      int
		}
		var pk []pkCol
		rows, err := db.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, tb.name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name, typ string
			var notNull bool
			var pkSeq int
			if err := rows.Scan(&name, &typ, &notNull, &pkSeq); err != nil {
				rows.Close()
				return nil, err
			}
			t.Columns[name] = column{Type: typeFamily(typ), NotNull: notNull}
			if pkSeq > 0 {
				pk = append(pk, pkCol{name, typ, pkSeq})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		slices.SortFunc(pk, func(a, b pkCol) int { return a.seq - b.seq })
		for _, c := range pk {
			t.PrimaryKey = append(t.PrimaryKey, c.name)
		}
		// SQLite enforces NOT NULL on a primary key only where it is the
		// rowid (a lone INTEGER PRIMARY KEY) or the table is WITHOUT ROWID;
		// any other primary-key column accepts NULL unless declared NOT NULL,
		// and is reported as nullable.
		if len(pk) == 1 && strings.EqualFold(pk[0].declared, "INTEGER") || withoutRowid.MatchString(tb.sql) {
			for _, c := range pk {
				col := t.Columns[c.name]
				col.NotNull = true
				t.Columns[c.name] = col
			}
		}

		// Indexes (origin c: CREATE INDEX, u: UNIQUE constraint, pk: the primary key's).
		type ixRow struct {
			name    string
			unique  bool
			origin  string
			partial bool
		}
		var ixs []ixRow
		rows, err = db.QueryContext(ctx, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, tb.name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r ixRow
			if err := rows.Scan(&r.name, &r.unique, &r.origin, &r.partial); err != nil {
				rows.Close()
				return nil, err
			}
			ixs = append(ixs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, r := range ixs {
			if r.origin == "pk" {
				continue
			}
			ix := index{Unique: r.unique}
			rows, err := db.QueryContext(ctx, `SELECT cid, name FROM pragma_index_info(?) ORDER BY seqno`, r.name)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var cid int
				var name sql.NullString
				if err := rows.Scan(&cid, &name); err != nil {
					rows.Close()
					return nil, err
				}
				if cid < 0 || !name.Valid {
					ix.Columns = append(ix.Columns, "<expr>")
				} else {
					ix.Columns = append(ix.Columns, name.String)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			if r.partial {
				var def string
				if err := db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, r.name).Scan(&def); err != nil {
					return nil, err
				}
				i := strings.LastIndex(strings.ToUpper(def), " WHERE ")
				if i < 0 {
					return nil, fmt.Errorf("partial index %s: no WHERE in %q", r.name, def)
				}
				ix.Where = normPredicate(def[i+len(" WHERE "):])
			}
			t.Indexes = append(t.Indexes, ix)
		}
	}

	// Foreign keys, after every table's primary key is known: REFERENCES t
	// without a column list means t's primary key.
	for name, t := range cat {
		rows, err := db.QueryContext(ctx, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name)
		if err != nil {
			return nil, err
		}
		byID := map[int]*foreignKey{}
		var ids []int
		for rows.Next() {
			var id int
			var ref, from, onUpdate, onDelete string
			var to sql.NullString
			if err := rows.Scan(&id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
				rows.Close()
				return nil, err
			}
			fk := byID[id]
			if fk == nil {
				fk = &foreignKey{RefTable: ref, OnDelete: onDelete, OnUpdate: onUpdate}
				byID[id] = fk
				ids = append(ids, id)
			}
			fk.Columns = append(fk.Columns, from)
			if to.Valid && to.String != "" {
				fk.RefColumns = append(fk.RefColumns, to.String)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, id := range ids {
			fk := byID[id]
			if len(fk.RefColumns) == 0 && cat[fk.RefTable] != nil {
				fk.RefColumns = slices.Clone(cat[fk.RefTable].PrimaryKey)
			}
			t.ForeignKeys = append(t.ForeignKeys, *fk)
		}
	}
	return cat, nil
}

func readPostgres(ctx context.Context, db *sql.DB) (catalogue, error) {
	cat := catalogue{}
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO'
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var tbl, col, typ string
		var notNull bool
		if err := rows.Scan(&tbl, &col, &typ, &notNull); err != nil {
			rows.Close()
			return nil, err
		}
		if ignoredTables[tbl] {
			continue
		}
		if cat[tbl] == nil {
			cat[tbl] = &table{Columns: map[string]column{}}
		}
		cat[tbl].Columns[col] = column{Type: typeFamily(typ), NotNull: notNull}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Primary keys and foreign keys, with their column lists in key order.
	rows, err = db.QueryContext(ctx, `
		SELECT k.contype, t.relname,
		       array_to_string(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
		           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), ','),
		       coalesce(r.relname, ''),
		       array_to_string(ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
		           JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o), ','),
		       k.confdeltype, k.confupdtype
		FROM pg_constraint k
		JOIN pg_class t ON t.oid = k.conrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		LEFT JOIN pg_class r ON r.oid = k.confrelid
		WHERE n.nspname = current_schema() AND k.contype IN ('p', 'f')
		ORDER BY t.relname, k.conname`)
	if err != nil {
		return nil, err
	}
	action := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT", " ": ""}
	for rows.Next() {
		var kind, tbl, cols, ref, refCols, onDelete, onUpdate string
		if err := rows.Scan(&kind, &tbl, &cols, &ref, &refCols, &onDelete, &onUpdate); err != nil {
			rows.Close()
			return nil, err
		}
		t := cat[tbl]
		if t == nil {
			continue
		}
		if kind == "p" {
			t.PrimaryKey = strings.Split(cols, ",")
			continue
		}
		t.ForeignKeys = append(t.ForeignKeys, foreignKey{
			Columns: strings.Split(cols, ","), RefTable: ref, RefColumns: strings.Split(refCols, ","),
			OnDelete: action[onDelete], OnUpdate: action[onUpdate],
		})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Indexes other than the primary key's, unique constraints included.
	rows, err = db.QueryContext(ctx, `
		SELECT t.relname, x.indisunique,
		       array_to_string(ARRAY(SELECT coalesce(a.attname, '<expr>')
		           FROM generate_series(1, x.indnkeyatts) k
		           LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1] AND x.indkey[k - 1] <> 0
		           ORDER BY k), ','),
		       coalesce(pg_get_expr(x.indpred, x.indrelid, true), '')
		FROM pg_index x
		JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND NOT x.indisprimary`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var tbl, cols, where string
		var unique bool
		if err := rows.Scan(&tbl, &unique, &cols, &where); err != nil {
			rows.Close()
			return nil, err
		}
		t := cat[tbl]
		if t == nil {
			continue
		}
		ix := index{Columns: strings.Split(cols, ","), Unique: unique}
		if where != "" {
			ix.Where = normPredicate(where)
		}
		t.Indexes = append(t.Indexes, ix)
	}
	rows.Close()
	return cat, rows.Err()
}
