from sqlalchemy import select

from commands.context import Context
from commands.parsing import UsageError, parse
from commands.permissions import require_admin
from commands.reply import Button, Reply, Table
from store.contacts import NewContact, add_contact, list_contacts
from store.db import reading
from store.enums import ContactType
from store.models import Contact

CONTACT_OPTIONS = frozenset(
    {"type", "company", "email", "phone", "address", "city", "post_code", "country", "language"}
)


def contacts(ctx: Context, words: list[str]) -> Reply:
    with reading(ctx.sessions) as session:
        found = list_contacts(session, ctx.team_id, " ".join(words), limit=50)
        # A person on their own is their own company (as in Business Central): no company to show.
        wanted = {c.company_no for c in found if c.type == ContactType.PERSON and c.company_no != c.no}
        companies = dict(
            session.execute(
                select(Contact.no, Contact.name).where(Contact.team_id == ctx.team_id, Contact.no.in_(wanted))
            ).all()
        )
    if not found:
        return Reply("No contacts found." if words else "No contacts yet.")
    rows = tuple(
        (
            c.no,
            c.name,
            c.type,
            companies.get(c.company_no, "") if c.no != c.company_no else "",
            c.email,
            c.phone,
        )
        for c in found
    )
    return Reply(
        f"Contacts ({len(found)}{'+' if len(found) == 50 else ''})",
        table=Table(("No.", "Name", "Type", "Company", "E-mail", "Phone"), rows),
    )


def contact(ctx: Context, words: list[str]) -> Reply:
    if not words or words[0].lower() != "add":
        raise UsageError("Use `contact add <name> ...`; list contacts with `contacts`.")
    args = parse(words[1:], CONTACT_OPTIONS)
    if not args.words:
        raise UsageError("Give the contact a name.")
    option = args.option
    try:
        contact_type = ContactType(option("type").lower()) if option("type") else None
    except ValueError:
        raise UsageError("type= takes company or person.") from None
    new = NewContact(
        name=" ".join(args.words),
        type=contact_type,
        company=option("company"),
        email=option("email"),
        phone=option("phone"),
        address=option("address"),
        city=option("city"),
        post_code=option("post_code"),
        country=option("country"),
        language_code=option("language"),
    )
    with ctx.sessions.begin() as session:
        created = add_contact(session, ctx.team_id, new)
    return Reply(
        f"Contact {created.no} created: {created.name} ({created.type}).",
        buttons=(Button("Log an interaction", f"log-form contact={created.no}"),),
    )


def import_contacts(ctx: Context, words: list[str]) -> Reply:
    """Files reach the bot only in a direct message; contacts are imported where the CSV file is, with
    the command-line tool, so this says how."""
    if [word.lower() for word in words] != ["contacts"]:
        raise UsageError("Use `import contacts`.")
    require_admin(ctx, "import contacts")
    return Reply(
        f"Contacts are imported from a CSV file with `crm import contacts <file.csv> --team {ctx.team_id}` "
        "where the bot runs.",
        paragraphs=(
            "The file is UTF-8 with a header row: name (required), type, company, email, phone, address, "
            "city, post_code, country, language_code, salesperson, correspondence_type. All rows go in, "
            "or none.",
            "Add one contact here with `/crm contact add <name> [company=<name>] [email=..]`.",
        ),
    )
