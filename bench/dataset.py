"""The catalog's scale data set for the benchmarks (B1 guarded list, B6 search), loaded with COPY.

At scale 1: 10,000 companies (each with its guardian group), 100,000 assets (about 3% published), 1,000,000
group object-permission rows granting `view_confidential_asset` (100 per company group; the bench partner's
company holds 2,000 of them), one bench partner member and one staff user; and 2,000 data rooms with 200,000
documents. `BENCH_SCALE=<n>` multiplies every count by n but the partner's own 2,000 grants (the runner gives
each scale its own database, see bench/__main__.py): at 10, 100,000 companies, 1,000,000 assets, 10,000,000
permission rows, 2,000,000 documents.

Created once per database and reused: each part writes a stamp (`bench_dataset_stamp`: its fingerprint, the
counts it was built with, how long it took) in the same transaction as its rows, so a stamp means a complete
part; `ensure_*()` returns at once when the stamp matches. The fingerprint names the generator's version and
the scale: change what is generated and bump the version, and the next run rebuilds.

Loading fast: the secondary indexes of the tables being filled are dropped for the COPY and rebuilt after it
(with a large maintenance_work_mem), and foreign-key triggers are skipped for the session
(session_replication_role = replica; the generator produces consistent ids); the stored search document is
computed per text with a cache (`search_document(a, b, c)` is the ordered union of each text's tokens).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

SCALE = int(os.environ.get("BENCH_SCALE", "1") or 1)
N_COMPANIES = 10_000 * SCALE
N_ASSETS = 100_000 * SCALE
N_PERMISSIONS = 1_000_000 * SCALE
# The bench partner's own grants do not grow with the platform: more companies, each with its own grants.
PARTNER_GRANTS = 2_000
PUBLISHED_SHARE = 0.03
MARKER = "bench:catalog:v1"
CATALOG_VERSION = "catalog:v2"  # bump when the generator changes what it produces
STAMP_TABLE = "bench_dataset_stamp"
PARTNER_EMAIL = "bench-partner@bench.test"
STAFF_EMAIL = "bench-staff@bench.test"

# Search vocabulary: rare synthetic words (one per summary) give a selective English query; the Chinese
# summaries carry a three-character code from a small alphabet, so a Chinese query is selective too.
_SYLLABLES = ["zor", "vel", "tam", "qui", "lix", "nor", "pra", "sel", "tin", "bex"]
WORDS = [a + b + c + "mab" for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]  # 1,000 words
_HANZI = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土"
ZH_CODES = [f"靶{a}{b}" for a in _HANZI for b in _HANZI]  # 900 codes
ENGLISH_QUERY = WORDS[137]
CHINESE_QUERY = ZH_CODES[222]

_MODALITIES = ["small_molecule", "monoclonal_antibody", "bispecific_antibody", "adc", "fusion_protein", "peptide",
               "cell_therapy", "gene_therapy", "rna_therapy", "vaccine", "other"]
_STAGES = ["discovery", "preclinical", "ind_enabling", "phase_1", "phase_1b_2", "phase_2", "phase_3", "filed",
           "approved"]
_AREAS = ["oncology", "immunology", "metabolic", "cardiovascular", "neurology", "infectious_disease",
          "rare_disease", "ophthalmology", "respiratory", "dermatology", "hematology"]
_DEALS = ["exclusive_license", "non_exclusive_license", "co_development", "option", "acquisition", "newco"]
_TARGETS = ["PD-1", "PD-L1", "VEGF", "HER2", "TROP2", "CLDN18.2", "GLP-1R", "GIPR", "KRAS G12C", "EGFR", "CD3",
            "CD19", "BCMA", "IL-23", "TSLP", "FcRn", "B7-H3", "Nectin-4"]
_INDICATIONS = ["non-small cell lung cancer", "gastric cancer", "breast cancer", "obesity", "type 2 diabetes",
                "psoriasis", "atopic dermatitis", "multiple myeloma", "lupus", "myasthenia gravis"]
_ZH_AREAS = ["肿瘤", "免疫", "代谢", "心血管", "神经", "眼科", "罕见病", "呼吸", "皮肤", "血液"]
_ZH_MODALITIES = ["双特异性抗体", "抗体偶联药物", "小分子抑制剂", "融合蛋白", "多肽", "细胞疗法", "基因疗法"]


def _territory_sets() -> list[list[str]]:
    from apps.catalog.territories import REGIONS

    return [sorted(REGIONS[code].countries) for code in
            ("worldwide_ex_greater_china", "worldwide", "eu", "us", "asean", "japan", "latam", "greater_china")]


def _progress(label: str, done: int, total: int, started: float) -> None:
    if sys.stderr.isatty() or done == total:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r  {label:<12} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,} "
                         f"{time.time() - started:5.1f}s")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _copy(cursor: Any, table: str, columns: list[str], rows: Any, total: int) -> None:
    started = time.time()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for index, row in enumerate(rows, 1):
            copy.write_row(row)
            if index % 50_000 == 0 or index == total:
                _progress(table.removeprefix("catalog_"), index, total, started)


def _next_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _reset_sequence(cursor: Any, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def current_fingerprints() -> dict[str, str]:
    return {"catalog": fingerprint("catalog"), "documents": fingerprint("documents")}


def fingerprint(part: str) -> str:
    version = {"catalog": CATALOG_VERSION, "documents": DOCUMENTS_VERSION}[part]
    return f"{version} scale={SCALE}"


def stamp_of(cursor: Any, name: str) -> str | None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (name text PRIMARY KEY, fingerprint text NOT NULL, "
                   "counts jsonb NOT NULL, seconds double precision NOT NULL, built_at timestamptz NOT NULL)")
    cursor.execute(f"SELECT fingerprint FROM {STAMP_TABLE} WHERE name = %s", [name])
    row = cursor.fetchone()
    return row[0] if row else None


def _write_stamp(cursor: Any, name: str, counts: dict[str, int], seconds: float) -> None:
    stamp_of(cursor, name)  # creates the table on first use
    cursor.execute(f"INSERT INTO {STAMP_TABLE} (name, fingerprint, counts, seconds, built_at) "
                   "VALUES (%s, %s, %s, %s, now()) ON CONFLICT (name) DO UPDATE SET "
                   "fingerprint = EXCLUDED.fingerprint, counts = EXCLUDED.counts, seconds = EXCLUDED.seconds, "
                   "built_at = EXCLUDED.built_at",
                   [name, fingerprint(name), json.dumps(counts), seconds])


def _fast_session(cursor: Any) -> None:
    """For the loading transaction only: no FK triggers (ids are generated consistently), big sorts for the
    index rebuilds, no waiting for the WAL flush."""
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")


def _drop_secondary_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the indexes of `tables` that back no constraint; return their definitions to rebuild them."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
        "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)", [tables])
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _rebuild_indexes(cursor: Any, definitions: list[str]) -> None:
    started = time.time()
    for definition in definitions:
        cursor.execute(definition)
    sys.stderr.write(f"  {len(definitions)} indexes rebuilt in {time.time() - started:.1f}s\n")


def dataset_info() -> dict[str, Any] | None:
    """Ids the benchmarks need, or None if the data set is absent or incomplete."""
    from django.db import connection

    from apps.accounts.models import User
    from apps.catalog.models import Asset, AssetGroupObjectPermission
    from apps.companies.models import Company

    marker = Company.objects.filter(name_en=MARKER).first()
    if marker is None:
        return None
    with connection.cursor() as cursor:
        stamped = stamp_of(cursor, "catalog") == fingerprint("catalog")
    # Databases filled before the stamp existed (scale 1 only) are recognised by their counts.
    if not stamped and (SCALE != 1 or Asset.objects.filter(code_name__startswith="BX-").count() < N_ASSETS
                        or AssetGroupObjectPermission.objects.count() < N_PERMISSIONS):
        return None
    return {"partner": User.objects.get(email=PARTNER_EMAIL), "staff": User.objects.get(email=STAFF_EMAIL),
            "partner_company": marker, "english_query": ENGLISH_QUERY, "chinese_query": CHINESE_QUERY}


def ensure_dataset(connection: Any = None) -> dict[str, Any]:
    """Create the data set in the current (PostgreSQL) database unless it is already there."""
    from django.db import connection as default_connection
    from django.db import transaction

    connection = connection or default_connection
    info = dataset_info()
    if info is not None:
        # Migrations may have rewritten the table since (e.g. a generated column): fresh statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE catalog_asset")
        return info
    if connection.vendor != "postgresql":
        raise RuntimeError("the benchmark data set needs PostgreSQL")
    started = time.time()
    with transaction.atomic():
        with connection.cursor() as cursor:  # two runs at once: the second waits, then finds the stamp
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('bench:dataset'))")
        if dataset_info() is not None:
            return dataset_info()
        _create(connection)
        with connection.cursor() as cursor:
            _write_stamp(cursor, "catalog", {"companies": N_COMPANIES, "assets": N_ASSETS,
                                             "permissions": N_PERMISSIONS}, time.time() - started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    info = dataset_info()
    assert info is not None, "data set incomplete after creation"
    return info


def _create(connection: Any) -> None:
    from django.contrib.auth.models import Permission

    from apps.accounts.models import User
    from apps.companies.models import Membership
    from apps.core.search import document_tokens, normalize  # what save() keeps (about 20 s for 100,000)

    rng = random.Random(20261126)
    now = datetime.now(UTC)
    territory_sets = [json.dumps(codes) for codes in _territory_sets()]
    territory_weights = [40, 20, 12, 10, 6, 6, 4, 2]
    permission_id = Permission.objects.get(codename="view_confidential_asset", content_type__app_label="catalog").pk
    started = time.time()
    token_cache: dict[str, list[str]] = {}

    def tokens(text: str) -> list[str]:
        found = token_cache.get(text)
        if found is None:
            found = document_tokens(text)
            if len(token_cache) < 300_000:  # the Chinese summaries repeat (567,000 combinations); bounded memory
                token_cache[text] = found
        return found

    def stored_document(*texts: str) -> str:
        # Equal to search_document(*texts): the ordered, de-duplicated union of each text's tokens.
        return " ".join(dict.fromkeys(token for text in texts for token in tokens(text)))

    normal_cache: dict[str, str] = {}

    def normalized(text: str) -> str:
        if text not in normal_cache:
            normal_cache[text] = normalize(text)
        return normal_cache[text]

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: COPY
        _fast_session(cursor)
        tables = ["auth_group", "companies_company", "catalog_asset", "catalog_assetgroupobjectpermission"]
        indexes = _drop_secondary_indexes(cursor, tables)
        group_base = _next_id(cursor, "auth_group")
        company_base = _next_id(cursor, "companies_company")
        asset_base = _next_id(cursor, "catalog_asset")
        _copy(cursor, "auth_group", ["id", "name"],
              ((group_base + i, f"company:bench:{i}") for i in range(N_COMPANIES)), N_COMPANIES)

        def companies() -> Any:
            for i in range(N_COMPANIES):
                name = MARKER if i == 0 else f"Bench Company {i:05d}"
                kind = "pharma" if i % 3 == 0 else "biotech"
                yield (company_base + i, str(uuid.UUID(int=rng.getrandbits(128))), kind, "CN" if kind == "biotech"
                       else "US", name, f"测试公司{i}", "", "", "verified", "", now, group_base + i, now, now)

        _copy(cursor, "companies_company",
              ["id", "public_id", "kind", "country", "name_en", "name_zh", "website", "description",
               "verification_status", "status_reason", "verified_at", "group_id", "created_at", "updated_at"],
              companies(), N_COMPANIES)

        def assets() -> Any:
            for i in range(N_ASSETS):
                # Owners skip company 0 (the bench partner): its member sees only published teasers and grants.
                owner = company_base + 1 + (i % (N_COMPANIES - 1))
                stage_rank = rng.randrange(len(_STAGES))
                published = rng.random() < PUBLISHED_SHARE
                status = "published" if published else rng.choice(["draft", "submitted", "archived", "draft"])
                created = now - timedelta(minutes=N_ASSETS - i)
                word = rng.choice(WORDS)
                zh_code = rng.choice(ZH_CODES)
                area = rng.randrange(len(_ZH_AREAS))
                modality = rng.choice(_MODALITIES)
                target = rng.choice(_TARGETS)
                summary_en = (f"{modality.replace('_', ' ').title()} {word} against {target} for "
                              f"{rng.choice(_INDICATIONS)}; {_STAGES[stage_rank].replace('_', ' ')} data in hand.")
                summary_zh = (f"{_ZH_AREAS[area]}领域{rng.choice(_ZH_MODALITIES)}，{zh_code}，"
                              f"已完成{stage_rank + 1}期研究。")
                yield (
                    asset_base + i, str(uuid.UUID(int=rng.getrandbits(128))), owner, f"BX-{i:06d}", "", modality,
                    _STAGES[stage_rank], status, created, created, summary_en, summary_zh,
                    json.dumps([_AREAS[area % len(_AREAS)]]), json.dumps(rng.sample(_DEALS, 2)),
                    rng.choices(territory_sets, territory_weights)[0], stage_rank, created if published else None,
                    f"Bench asset {i}", "", "", "", json.dumps([target]), "Confidential mechanism.",
                    json.dumps([rng.choice(_INDICATIONS)]), "", None, False, None,
                    stored_document(f"BX-{i:06d}", summary_en, summary_zh), normalized(summary_zh),
                )

        _copy(cursor, "catalog_asset",
              ["id", "public_id", "owner_company_id", "code_name", "inn", "modality", "stage", "status", "created_at",
               "updated_at", "summary_en", "summary_zh", "therapeutic_areas", "deal_types", "territories",
               "stage_rank", "published_at", "name_en", "name_zh", "description_en", "description_zh", "targets",
               "mechanism", "indications", "status_reason", "submitted_at", "resubmission", "created_by_id",
               "search_document", "search_zh"],
              assets(), N_ASSETS)

        def permissions() -> Any:
            # 2,000 grants to the partner's group, then 100 distinct assets per other company group.
            partner_assets = rng.sample(range(N_ASSETS), PARTNER_GRANTS)
            for asset_offset in partner_assets:
                yield (group_base, permission_id, asset_base + asset_offset)
            remaining = N_PERMISSIONS - PARTNER_GRANTS
            per_group = remaining // (N_COMPANIES - 1) + 1
            produced = 0
            for group_offset in range(1, N_COMPANIES):
                start = rng.randrange(N_ASSETS)
                for k in range(per_group):
                    if produced == remaining:
                        return
                    yield (group_base + group_offset, permission_id, asset_base + (start + k * 7) % N_ASSETS)
                    produced += 1

        _copy(cursor, "catalog_assetgroupobjectpermission", ["group_id", "permission_id", "content_object_id"],
              permissions(), N_PERMISSIONS)
        for table in ("auth_group", "companies_company", "catalog_asset"):
            _reset_sequence(cursor, table)
        _rebuild_indexes(cursor, indexes)
    # Bench users never sign in (the benchmarks force-authenticate): unusable passwords.
    partner = User.objects.filter(email=PARTNER_EMAIL).first() or User.objects.create_user(
        email=PARTNER_EMAIL, password=None, full_name="Bench Partner")
    User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_user(
        email=STAFF_EMAIL, password=None, full_name="Bench Staff", is_staff=True)
    from apps.companies.models import Company

    marker = Company.objects.get(name_en=MARKER)
    Membership.objects.get_or_create(company=marker, user=partner, defaults={"role": "member"})
    partner.groups.add(marker.group)
    sys.stderr.write(f"  catalog data set created in {time.time() - started:.1f}s\n")


# --- data rooms: 200,000 documents (added for issue 9; the catalog set above is untouched) ------------------

N_ROOMS = 2_000 * SCALE
DOCUMENTS_PER_ROOM = 100
N_DOCUMENTS = N_ROOMS * DOCUMENTS_PER_ROOM
ROOMS_MARKER = "bench:datarooms:v1"
DOCUMENTS_VERSION = "documents:v2"


def _copy_model(cursor: Any, model: Any, rows: Any, total: int, label: str, *, with_id: bool = True) -> None:
    """COPY dicts keyed by attname into the model's table; every other column gets the field's default, so a
    column added later by a migration (with a default) does not break the generator."""
    from django.db.models import JSONField

    fields = [f for f in model._meta.concrete_fields
              if not getattr(f, "generated", False) and (with_id or not f.primary_key)]
    columns = [f.column for f in fields]

    def prepared() -> Any:
        for row in rows:
            values = []
            for field in fields:
                if field.attname in row:
                    value = row[field.attname]
                elif field.has_default():
                    value = field.get_default()
                elif field.null:
                    value = None
                elif field.blank and field.empty_strings_allowed:
                    value = ""  # what the ORM stores for a blank text field without a default
                else:
                    raise RuntimeError(f"bench data set: no value for {model.__name__}.{field.attname}")
                if isinstance(field, JSONField) and value is not None:
                    value = json.dumps(value)
                values.append(value)
            yield values

    started = time.time()
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for index, values in enumerate(prepared(), 1):
            copy.write_row(values)
            if index % 50_000 == 0 or index == total:
                _progress(label, index, total, started)


def documents_info() -> dict[str, Any] | None:
    from django.db import connection

    from apps.datarooms.models import DataRoom, Document

    with connection.cursor() as cursor:
        if stamp_of(cursor, "documents") == fingerprint("documents"):
            return {"rooms": N_ROOMS, "documents": N_DOCUMENTS}
    if SCALE != 1:
        return None
    rooms = DataRoom.objects.filter(name__startswith=ROOMS_MARKER)
    if rooms.count() < N_ROOMS:
        return None
    documents = Document.objects.filter(room__name__startswith=ROOMS_MARKER, current_version__isnull=False).count()
    return {"rooms": N_ROOMS, "documents": documents} if documents >= N_DOCUMENTS else None


def ensure_documents(connection: Any = None) -> dict[str, Any]:
    """2,000 data rooms on bench assets, each with two folders and 100 documents (one version each, no bytes
    on disk: the benchmarks that read content upload their own). Created once per database, reused after."""
    from django.db import connection as default_connection
    from django.db import transaction

    connection = connection or default_connection
    info = documents_info()
    if info is not None:
        return info
    ensure_dataset(connection)
    started = time.time()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('bench:dataset'))")
        if documents_info() is not None:
            return documents_info()
        _create_documents(connection)
        with connection.cursor() as cursor:
            _write_stamp(cursor, "documents", {"rooms": N_ROOMS, "documents": N_DOCUMENTS}, time.time() - started)
    with connection.cursor() as cursor:
        for table in ("datarooms_dataroom", "datarooms_folder", "datarooms_folderclosure", "datarooms_document",
                      "datarooms_documentversion"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    info = documents_info()
    assert info is not None, "document data set incomplete after creation"
    return info


def _create_documents(connection: Any) -> None:
    from apps.datarooms.models import DataRoom, Document, DocumentVersion, Folder, FolderClosure

    rng = random.Random(20261127)
    now = datetime.now(UTC)
    started = time.time()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        _fast_session(cursor)
        # Earlier partial attempts rolled back; rooms from a previous version of the marker stay as they are.
        cursor.execute("SELECT a.id, a.owner_company_id FROM catalog_asset a WHERE a.code_name LIKE 'BX-%%' "
                       "AND NOT EXISTS (SELECT 1 FROM datarooms_dataroom r WHERE r.asset_id = a.id) "
                       "ORDER BY a.id LIMIT %s", [N_ROOMS])
        assets = cursor.fetchall()
        if len(assets) < N_ROOMS:
            raise RuntimeError("bench data set: not enough assets without a data room")
        tables = ["datarooms_dataroom", "datarooms_folder", "datarooms_folderclosure", "datarooms_document",
                  "datarooms_documentversion"]
        indexes = _drop_secondary_indexes(cursor, tables)
        room_base = _next_id(cursor, "datarooms_dataroom")
        folder_base = _next_id(cursor, "datarooms_folder")
        document_base = _next_id(cursor, "datarooms_document")
        version_base = _next_id(cursor, "datarooms_documentversion")
        room_public = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(N_ROOMS)]
        _copy_model(cursor, DataRoom, ({
            "id": room_base + i, "public_id": room_public[i], "asset_id": asset_id, "owner_company_id": owner,
            "name": f"{ROOMS_MARKER} #{i:04d}", "description": "", "created_at": now,
        } for i, (asset_id, owner) in enumerate(assets)), N_ROOMS, "rooms")
        folder_names = ("Clinical", "CMC")
        _copy_model(cursor, Folder, ({
            "id": folder_base + 2 * i + k, "room_id": room_base + i, "parent_id": None, "name": name,
            "held_back": False, "hidden": False, "created_at": now,
        } for i in range(N_ROOMS) for k, name in enumerate(folder_names)), 2 * N_ROOMS, "folders")
        _copy_model(cursor, FolderClosure, ({
            "ancestor_id": folder_base + j, "descendant_id": folder_base + j, "depth": 0,
        } for j in range(2 * N_ROOMS)), 2 * N_ROOMS, "closures", with_id=False)

        def documents() -> Any:
            for i in range(N_ROOMS):
                for d in range(DOCUMENTS_PER_ROOM):
                    yield {"id": document_base + i * DOCUMENTS_PER_ROOM + d,
                           "public_id": uuid.UUID(int=rng.getrandbits(128)),
                           "room_id": room_base + i, "folder_id": folder_base + 2 * i + d % 2,
                           "name": f"Study report {d:03d}.pdf", "is_clinical": d % 2 == 0,
                           # Version n belongs to document n (FK triggers are off while loading).
                           "current_version_id": version_base + i * DOCUMENTS_PER_ROOM + d,
                           "created_at": now, "updated_at": now}

        _copy_model(cursor, Document, documents(), N_DOCUMENTS, "documents")
        _copy_model(cursor, DocumentVersion, ({
            "id": version_base + n, "document_id": document_base + n, "number": 1,
            "storage_name": f"datarooms/{room_public[n // DOCUMENTS_PER_ROOM]}/bench-{n:06d}",
            "original_name": f"Study report {n % DOCUMENTS_PER_ROOM:03d}.pdf", "kind": "pdf",
            "content_type": "application/pdf", "size": 48_000 + n % 1000, "sha256": f"{n:064x}", "pages": 12,
            "created_at": now,
        } for n in range(N_DOCUMENTS)), N_DOCUMENTS, "versions")
        for table in ("datarooms_dataroom", "datarooms_folder", "datarooms_document", "datarooms_documentversion"):
            _reset_sequence(cursor, table)
        _rebuild_indexes(cursor, indexes)
    sys.stderr.write(f"  data-room data set created in {time.time() - started:.1f}s\n")
