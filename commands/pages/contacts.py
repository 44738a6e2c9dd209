"""Contacts: find them, add one, and how to import many."""

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.pages.interactions import CREATE_INTERACTION
from commands.reply import Button, Reply, Table
from store.contacts import NewContact, add_contact, company_names, list_contacts
from store.db import reading

LIMIT = 50


def contacts(ctx: Context, args: Args) -> Reply:
    text = args.get("text", "")
    with reading(ctx.sessions) as session:
        found = list_contacts(session, ctx.team_id, text, limit=LIMIT)
        companies = company_names(session, ctx.team_id, found)
    if not found:
        return Reply("No contacts found." if text else "No contacts yet.")
    rows = tuple((c.no, c.name, c.type, companies.get(c.no, ""), c.email, c.phone) for c in found)
    return Reply(
        f"Contacts ({len(found)}{'+' if len(found) == LIMIT else ''})",
        table=Table(("No.", "Name", "Type", "Company", "E-mail", "Phone"), rows),
    )


def create(ctx: Context, args: Args) -> Reply:
    new = NewContact(
        name=args["name"],
        type=args.get("type"),
        company=args.get("company", ""),
        email=args.get("email", ""),
        phone=args.get("phone", ""),
        address=args.get("address", ""),
        city=args.get("city", ""),
        post_code=args.get("post_code", ""),
        country=args.get("country", ""),
        language_code=args.get("language", ""),
    )
    with ctx.sessions.begin() as session:
        created = add_contact(session, ctx.team_id, new)
    return Reply(
        f"Contact {created.no} created: {created.name} ({created.type}).",
        buttons=(Button("Log an interaction", CREATE_INTERACTION.command_text({"contact": created.no})),),
    )


def how_to_import(ctx: Context, args: Args) -> Reply:
    """Files reach the bot only in a direct message; contacts are imported where the CSV file is, with
    the command-line tool, so this says how."""
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


CONTACTS = Action(
    id="contacts",
    title="Contacts",
    title_es="Contactos",
    usage="/crm contacts [text]",
    summary="Find contacts by name, number or e-mail.",
    summary_es="Busca contactos por nombre, número o correo.",
    command=("contacts", "{text}"),
    handler=contacts,
    args=(Arg("text", inputs.TEXT),),
    keywords=("contacts", "people", "customers", "companies", "address book", "find contact", "who is"),
    keywords_es=("contactos", "clientes", "empresas", "personas", "agenda", "buscar contacto", "quién es"),
    policy=Policy(read_only=True),
)
ADD_CONTACT = Action(
    id="add_contact",
    title="Add Contact",
    title_es="Añadir contacto",
    usage="/crm contact add <name> [type=company|person] [company=<name>] [email=..] [phone=..]",
    summary="Add a person or a company to the contacts.",
    summary_es="Añade una persona o una empresa a los contactos.",
    command=("contact", "add", "{name}"),
    handler=create,
    args=(
        Arg("name", inputs.NAME, required=True, ask="Give the contact a name."),
        Arg("type", inputs.CONTACT_TYPE),
        Arg("company", inputs.CONTACT),
        *(Arg(name, inputs.Text(f"a {name}", 100)) for name in ("email", "phone", "address", "city")),
        *(Arg(name, inputs.Text(f"a {name}", 30)) for name in ("post_code", "country")),
        Arg("language", inputs.LANGUAGE),
    ),
    keywords=("new contact", "create contact", "add person", "add company", "new customer"),
    keywords_es=("nuevo contacto", "crear contacto", "añadir cliente", "alta de contacto"),
)
IMPORT_CONTACTS = Action(
    id="import_contacts",
    title="Import Contacts",
    title_es="Importar contactos",
    usage="/crm import contacts",
    summary="How to load contacts from a CSV file.",
    summary_es="Cómo cargar contactos desde un archivo CSV.",
    command=("import", "contacts"),
    handler=how_to_import,
    keywords=("import", "upload contacts", "load contacts", "csv", "bulk add contacts", "spreadsheet"),
    keywords_es=("importar", "cargar contactos", "subir contactos"),
    policy=Policy(admin_only=True),
)

ACTIONS = (CONTACTS, ADD_CONTACT, IMPORT_CONTACTS)
