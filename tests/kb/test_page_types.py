"""Which KB page may be created under which (Wagtail page-type rules)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from kb.models import ArticlePage, CategoryPage, KnowledgeBaseIndexPage
from portal.models import HomePage
from portal.translations import default_locale_q


class KnowledgeBasePageTypeTests(WagtailPageTestCase):
    def test_index_lives_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, KnowledgeBaseIndexPage)
        self.assertCanNotCreateAt(Page, KnowledgeBaseIndexPage)
        self.assertCanNotCreateAt(CategoryPage, KnowledgeBaseIndexPage)
        self.assertAllowedParentPageTypes(KnowledgeBaseIndexPage, {HomePage})

    def test_categories_nest_under_the_index_and_each_other(self):
        self.assertCanCreateAt(KnowledgeBaseIndexPage, CategoryPage)
        self.assertCanCreateAt(CategoryPage, CategoryPage)
        self.assertCanNotCreateAt(HomePage, CategoryPage)
        self.assertCanNotCreateAt(ArticlePage, CategoryPage)

    def test_articles_live_in_categories_and_have_no_children(self):
        self.assertCanCreateAt(CategoryPage, ArticlePage)
        self.assertCanNotCreateAt(KnowledgeBaseIndexPage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_only_one_knowledge_base(self):
        home = HomePage.objects.get(default_locale_q(), slug="home")
        self.assertTrue(KnowledgeBaseIndexPage.can_create_at(home))
        home.add_child(instance=KnowledgeBaseIndexPage(title="KB", slug="kb"))
        self.assertFalse(KnowledgeBaseIndexPage.can_create_at(home))
