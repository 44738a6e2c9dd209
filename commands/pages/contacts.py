"""Contacts: find them, see one on its card, add one, and how to import many."""

from datetime import date

from commands import inputs
from commands.action import Action, Arg, Args, Policy
from commands.context import Context
from commands.pages.entries import LOG_ENTRIES
from commands.pages.interactions import CREATE_INTERACTION
from commands.pages.reports import STATISTICS
from commands.pages.tasks import ADD_TASK, task_item
from commands.reply import Button, Item, Reply
from commands.views import entry_line, plural
from store.contacts import (
    NewContact,
    add_contact,
    company_names,
    contact_page,
    count_people,
    find_contact,
)
from store.db import reading
from store.enums import ContactField, ContactType
from store.filters import CanceledFilter, EntryFilter, contact_scope
from store.models import Contact
from store.queries import ContactFigures, contact_figures, list_entries
from store.tasks import TaskScope, list_tasks

PAGE = 20
TIMELINE = 5
OPEN_TASKS = 5
FIELD_LABELS = {ContactField.EMAIL: "E-mail", ContactField.PHONE: "Phone", ContactField.ADDRESS: "Address"}


def contacts(ctx: Context, args: Args) -> Reply:
    """A page of contacts, one line each with a menu of what to do with it, and Previous and Next pages
    that go on from the contact numbers at its ends."""
    text = args.get("text", "")
    with reading(ctx.sessions) as session:
        page = contact_page(
            session, ctx.team_id, text, limit=PAGE, after=args.get("after"), before=args.get("before")
        )
        companies = company_names(session, ctx.team_id, page.contacts)
    if not page.contacts:
        if "after" in args or "before" in args:
            return Reply("No more contacts.")
        return Reply("No contacts found." if text else "No contacts yet.")
    buttons = []
    if page.previous_before is not None:
        buttons.append(
            Button("Previous", CONTACTS.command_text({"text": text, "before": page.previous_before}))
        )
    if page.next_after is not None:
        buttons.append(Button("Next", CONTACTS.command_text({"text": text, "after": page.next_after})))
    if page.closest:
        title = f"No contact's name contains “{text}”; the closest ({len(page.contacts)})"
    else:
        first, last = page.contacts[0].no, page.contacts[-1].no
        which = f" matching “{text}”" if text else ""
        title = f"Contacts{which} ({len(page.contacts)} shown, {first} to {last})"
    return Reply(
        title,
        items=tuple(contact_item(c, companies.get(c.no, "")) for c in page.contacts),
        buttons=tuple(buttons),
    )


def contact_item(contact: Contact, company: str) -> Item:
    what = (
        "company" if contact.type == ContactType.COMPANY else f"person at {company}" if company else "person"
    )
    parts = [f"*{contact.name}*  {contact.no}", what, contact.email]
    return Item(" · ".join(part for part in parts if part), menu=contact_menu(contact.no))


def contact_menu(no: str) -> tuple[Button, ...]:
    return (
        Button("Log an interaction", CREATE_INTERACTION.command_text({"contact": no})),
        Button("Entries", LOG_ENTRIES.command_text({"contact": no})),
        Button("Follow up", ADD_TASK.command_text({"contact": no})),
        Button("Card", CONTACT_CARD.command_text({"contact": no})),
    )


def card(ctx: Context, args: Args) -> Reply:
    """The contact's fields, Business Central's statistics, the last interactions and the open tasks. A
    name several contacts could have is answered with a button for each (the router's choice)."""
    with reading(ctx.sessions) as session:
        contact = find_contact(session, ctx.team_id, args["contact"])
        company = company_names(session, ctx.team_id, [contact]).get(contact.no, "")
        people = count_people(session, ctx.team_id, contact) if contact.type == ContactType.COMPANY else 0
        figures = contact_figures(session, ctx.team_id, contact)
        recent = list_entries(
            session,
            ctx.team_id,
            EntryFilter(**contact_scope(contact), canceled=CanceledFilter.NO),
            limit=TIMELINE,
        )
        tasks = list_tasks(
            session,
            ctx.team_id,
            owner_id=None,
            now=ctx.now(),
            today=ctx.today(),
            scope=TaskScope.ALL,
            contact=contact.no,
            limit=OPEN_TASKS,
        )
    items = [Item("*Last interactions*")]
    items += [Item(entry_line(row.entry, row.contact_name)) for row in recent.rows] or [Item("None yet.")]
    items.append(Item("*Open tasks*"))
    items += [task_item(row.task, row.contact_name) for row in tasks.rows] or [Item("None.")]
    no = contact.no
    headline = f"{contact.name} ({no})"
    if "field" in args:  # a question about one field ("what's Kim's e-mail?") is answered first
        field: ContactField = args["field"]
        headline = f"{FIELD_LABELS[field]} of {headline}: {_field_value(contact, field) or 'not known'}"
    return Reply(
        headline,
        paragraphs=(*_fields(contact, company, people), *_statistics(contact, figures)),
        items=tuple(items),
        buttons=(
            Button("Log", CREATE_INTERACTION.command_text({"contact": no}), "primary"),
            Button("Entries", LOG_ENTRIES.command_text({"contact": no})),
            Button("Follow up", ADD_TASK.command_text({"contact": no})),
            Button("Statistics", STATISTICS.command_text({"contact": no})),
        ),
    )


def _field_value(contact: Contact, field: ContactField) -> str:
    if field is ContactField.ADDRESS:
        parts = (contact.address, f"{contact.post_code} {contact.city}".strip(), contact.country)
        return ", ".join(part for part in parts if part)
    return contact.email if field is ContactField.EMAIL else contact.phone


def _fields(contact: Contact, company: str, people: int) -> list[str]:
    if contact.type == ContactType.COMPANY:
        kind = f"Company, {plural(people, 'person', 'people')}"
    else:
        kind = f"Person at {company} ({contact.company_no})" if company else "Person"
    rows = (
        (("", kind),),
        (("E-mail", contact.email), ("Phone", contact.phone)),
        (("Address", _field_value(contact, ContactField.ADDRESS)),),
        (
            ("Language", contact.language_code),
            ("Salesperson", contact.salesperson),
            ("Correspondence", contact.correspondence_type),
        ),
    )
    lines = [
        " · ".join(f"*{label}* {value}" if label else value for label, value in row if value) for row in rows
    ]
    return [line for line in lines if line]


def _statistics(contact: Contact, figures: ContactFigures) -> list[str]:
    whose = " (its people's included)" if contact.type == ContactType.COMPANY else ""
    return [
        f"*Interactions* {figures.interactions:,}{whose} · *Cost* {figures.cost:,.2f} · "
        f"*Duration* {figures.duration:,} min",
        f"*Last interaction* {_day(figures.last_interaction)} · "
        f"*Last attempted* {_day(figures.last_attempted)}",
    ]


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "-"


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
    args=(
        Arg("text", inputs.TEXT),
        Arg("after", inputs.CONTACT_NUMBER),
        Arg("before", inputs.CONTACT_NUMBER),
    ),
    keywords=("contacts", "people", "customers", "companies", "address book", "find contact", "who is"),
    keywords_es=("contactos", "clientes", "empresas", "personas", "agenda", "buscar contacto", "quién es"),
    policy=Policy(read_only=True),
)
CONTACT_CARD = Action(
    id="contact_card",
    title="Contact Card",
    title_es="Ficha de contacto",
    usage="/crm contact <name or no.> [field=email|phone|address]",
    summary="A contact's details, interaction statistics, last interactions and open tasks.",
    summary_es="Los datos de un contacto, sus estadísticas, sus últimas interacciones y tareas abiertas.",
    command=("contact", "{contact}"),
    handler=card,
    args=(
        Arg(
            "contact",
            inputs.CONTACT,
            required=True,
            ask="Say which contact: a name, a number such as CT000001 or an e-mail address.",
        ),
        Arg("field", inputs.CONTACT_FIELD),
    ),
    keywords=(
        "contact card",
        "contact details",
        "contact info",
        "show contact",
        "email address",
        "phone number",
        "contact address",
        "telephone",
        "profile",
    ),
    keywords_es=(
        "ficha de contacto",
        "ficha del cliente",
        "datos de contacto",
        "qué teléfono tiene",
        "número de teléfono",
        "dirección de correo",
        "dirección del contacto",
        "ver contacto",
    ),
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

ACTIONS = (CONTACTS, CONTACT_CARD, ADD_CONTACT, IMPORT_CONTACTS)
