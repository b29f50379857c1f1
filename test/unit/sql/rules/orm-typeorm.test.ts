/** missing-index, unbounded-select, n-plus-one-query and unindexed-foreign-key on TypeORM calls, judged against the entities; fixes as @Index on the entity. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const TEAM = "import { Entity, PrimaryGeneratedColumn, Column } from 'typeorm';\n\n@Entity('teams')\nexport class Team {\n  @PrimaryGeneratedColumn('uuid')\n  id: string;\n\n  @Column({ unique: true })\n  slug: string;\n}\n";
const DOCUMENT = "import { Entity, PrimaryGeneratedColumn, Column, ManyToOne, CreateDateColumn, DeleteDateColumn } from 'typeorm';\nimport { Team } from './team.entity';\n\n@Entity()\nexport class Document {\n  @PrimaryGeneratedColumn('uuid')\n  id: string;\n\n  @Column()\n  title: string;\n\n  @ManyToOne(() => Team)\n  team: Team;\n\n  @CreateDateColumn()\n  createdAt: Date;\n\n  @DeleteDateColumn()\n  deletedAt: Date | null;\n}\n";
const PKG = '{"dependencies":{"typeorm":"0.3.20","@nestjs/typeorm":"10.0.0","pg":"8.13.0"}}\n';
const ws = (code: string, more: Record<string, string> = {}): Record<string, string> => ({ 'package.json': PKG, 'src/team.entity.ts': TEAM, 'src/document.entity.ts': DOCUMENT, 'src/documents.service.ts': code, ...more });
const SERVICE = (body: string): string => `import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\n\n@Injectable()\nexport class DocumentsService {\n  constructor(@InjectRepository(Document) private readonly documents: Repository<Document>) {}\n\n${body}}\n`;

ruleTests('missing-index', {
  valid: [
    { name: 'the primary key', files: ws(SERVICE('  one(id: string) {\n    return this.documents.findOneBy({ id });\n  }\n')) },
    { name: 'a unique column', files: ws("export const bySlug = (slug: string) => AppDataSource.getRepository(Team).findOneBy({ slug });\n") },
    { name: 'a where TypeORM drops (null) is not followed', files: ws(SERVICE('  orphans() {\n    return this.documents.findBy({ title: null });\n  }\n')) },
    { name: 'an entity no package.json dependency calls for is not read', files: { ...ws(SERVICE('  byTitle(title: string) {\n    return this.documents.findOneBy({ title });\n  }\n')), 'package.json': '{"dependencies":{"pg":"8.13.0"}}\n' } },
    { name: 'MySQL: InnoDB indexes the join column of a foreign key', files: { ...ws(SERVICE('  byTeam(teamId: string) {\n    return this.documents.findBy({ team: { id: teamId } });\n  }\n')), 'package.json': '{"dependencies":{"typeorm":"0.3.20","mysql2":"3.0.0"}}\n' } },
    {
      name: 'an index a TypeORM migration creates (queryRunner.query) serves it',
      files: ws(SERVICE('  byTitle(title: string) {\n    return this.documents.findOneBy({ title });\n  }\n'), { 'src/migrations/1700000000001-title.ts': 'export class Title1700000000001 {\n  async up(queryRunner) {\n    await queryRunner.query(`CREATE INDEX "IDX_document_title" ON "document" ("title")`);\n  }\n  async down(queryRunner) {\n    await queryRunner.query(`DROP INDEX "IDX_document_title"`);\n  }\n}\n' }),
    },
    {
      name: 'migrations for two databases (mysql/ and sqlite/ folders): the entities cannot tell which indexes the deployed one has, so they are not judged',
      files: ws(SERVICE('  byTitle(title: string) {\n    return this.documents.findOneBy({ title });\n  }\n'), {
        'migrations/mysql/1700000000000-init.sql': 'CREATE TABLE `document` (`id` varchar(36) NOT NULL, `title` varchar(255) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n',
        'migrations/sqlite/1700000000000-init.sql': 'CREATE TABLE "document" ("id" varchar PRIMARY KEY NOT NULL, "title" varchar NOT NULL);\n',
      }),
    },
    { name: 'an @Index on the entity serves it', files: ws(SERVICE('  byTitle(title: string) {\n    return this.documents.findOneBy({ title });\n  }\n'), { 'src/document.entity.ts': DOCUMENT.replace('  @Column()\n  title', '  @Index()\n  @Column()\n  title') }) },
    { name: 'a static method on a class that is no BaseEntity is not TypeORM\'s Active Record', files: ws('export const f = (title: string) => Document.findOneBy({ title });\n') },
  ],
  invalid: [
    {
      name: 'an unindexed column: @Index on the entity, Index added to the import; the soft-delete IS NULL never drives the finding',
      files: ws(SERVICE('  byTitle(title: string) {\n    return this.documents.findOne({ where: { title } });\n  }\n')),
      errors: [{
        file: 'src/documents.service.ts', line: 10, column: 46, severity: 'warning',
        message: /^No index on document\(title\): .* \(Document\.findOne runs SELECT … FROM document WHERE title = \$1 LIMIT 1\.\)$/,
        fixTitle: /^Add @Index\(\['title'\]\) to the Document entity \(then generate the migration: `typeorm migration:generate`\)$/,
        fixOutput: { 'src/document.entity.ts': DOCUMENT.replace('CreateDateColumn, DeleteDateColumn }', 'CreateDateColumn, DeleteDateColumn, Index }').replace('@Entity()\n', "@Index(['title'])\n@Entity()\n") },
      }],
    },
    {
      name: 'a relation filter on the join column: PostgreSQL has no index for it (TypeORM creates none)',
      files: ws(SERVICE("  byTeam(teamId: string) {\n    return this.documents.find({ where: { team: { id: teamId } }, order: { createdAt: 'DESC' }, take: 20 });\n  }\n")),
      errors: [{
        file: 'src/documents.service.ts', line: 10, column: 51, endColumn: 61, severity: 'warning',
        message: /^No index on document\(teamid\).*\(Document\.find runs SELECT … FROM document WHERE teamid = \$1 ORDER BY createdat DESC LIMIT \$2\.\)$/,
        fixTitle: /^Add @Index\(\['team', 'createdAt'\]\) to the Document entity/,
      }],
    },
    {
      name: 'a QueryBuilder chain: the joined relation\'s id is the join column',
      files: ws("export const byTeam = (repo: Repository<Document>, teamId: string) =>\n  repo.createQueryBuilder('d').leftJoin('d.team', 't').where('t.id = :teamId', { teamId }).getMany();\n"),
      errors: [{
        file: 'src/documents.service.ts', line: 2, column: 63, endColumn: 77, severity: 'warning',
        message: /^No index on document\(teamid\).*\(Document\.getMany runs SELECT … FROM document WHERE teamid = \$1\.\)$/,
      }],
    },
  ],
});

ruleTests('unbounded-select', {
  valid: [
    { name: 'find with take', files: ws(SERVICE('  some() {\n    return this.documents.find({ take: 20 });\n  }\n')) },
    { name: 'a table without a creation time', files: ws("export const all = () => AppDataSource.getRepository(Team).find();\n") },
  ],
  invalid: [
    {
      name: 'find of a table that grows, with no filter and no limit',
      files: ws(SERVICE("  all() {\n    return this.documents.find({ order: { createdAt: 'DESC' } });\n  }\n")),
      errors: [{ file: 'src/documents.service.ts', line: 10, column: 12, severity: 'warning', message: /^Document\.find returns every row of document \(no filter, no limit: SELECT … FROM document ORDER BY createdat DESC\): paginate it \(`take` with `skip`, or a keyset `where`\)/ }],
    },
  ],
});

ruleTests('n-plus-one-query', {
  valid: [],
  invalid: [
    {
      name: 'a findOneBy per row of a find, with the TypeORM advice',
      files: ws(SERVICE('  async titles(ids: string[]) {\n    const docs = await this.documents.find({ take: 50 });\n    for (const d of docs) await this.documents.findOneBy({ title: d.title });\n  }\n')),
      errors: [{ file: 'src/documents.service.ts', line: 11, column: 33, severity: 'warning', message: /^Document\.findOneBy runs once per item of the for…of loop \(an N\+1 query.*`findBy\(\{ <key>: In\(keys\) \}\)`/, data: { orm: 'typeorm' } }],
    },
  ],
});

ruleTests('unindexed-foreign-key', {
  valid: [
    { name: 'MySQL: InnoDB indexes a foreign key itself', files: { ...ws(''), 'package.json': '{"dependencies":{"typeorm":"0.3.20","mysql2":"3.0.0"}}\n' } },
    {
      name: 'migrations define the table: their constraints, not the entity\'s relation, say which foreign keys exist',
      files: ws('', { 'src/migrations/1700000000000-init.ts': "export class Init1700000000000 {\n  async up(queryRunner) {\n    await queryRunner.query(`CREATE TABLE \"document\" (\"id\" uuid PRIMARY KEY, \"title\" varchar NOT NULL, \"teamId\" uuid, \"createdAt\" timestamp NOT NULL, \"deletedAt\" timestamp)`);\n  }\n}\n" }),
    },
    { name: 'an @Index on the relation', files: ws('', { 'src/document.entity.ts': DOCUMENT.replace('  @ManyToOne(() => Team)', '  @Index()\n  @ManyToOne(() => Team)').replace('DeleteDateColumn }', 'DeleteDateColumn, Index }') }) },
  ],
  invalid: [
    {
      name: 'a many-to-one on PostgreSQL: @Index on the relation\'s entity',
      files: ws(''),
      errors: [{
        file: 'src/document.entity.ts', line: 12, column: 3, severity: 'warning',
        message: /^Foreign key document\(teamid\) → teams has no index/,
        fixOutput: { 'src/document.entity.ts': DOCUMENT.replace('DeleteDateColumn }', 'DeleteDateColumn, Index }').replace('@Entity()\n', "@Index(['team'])\n@Entity()\n") },
      }],
    },
  ],
});
